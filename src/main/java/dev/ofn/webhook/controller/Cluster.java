package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.json.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * The controller's only door to the API: reads from informer caches (as Jackson trees), writes
 * through fabric8's generic resources. Every write first checks that this replica still leads, and
 * is counted (tests and metrics read the count).
 */
final class Cluster {
  static final String FIELD_MANAGER = "ofn-webhook";

  private final KubernetesClient client;
  private final BooleanSupplier leading;
  private final AtomicLong writes = new AtomicLong();

  Cluster(KubernetesClient client, BooleanSupplier leading) {
    this.client = client;
    this.leading = leading;
  }

  /**
   * Thrown instead of writing when leadership was lost meanwhile; the work is dropped, not retried.
   */
  static final class NotLeader extends RuntimeException {
    NotLeader() {
      super("not the leader", null, false, false);
    }
  }

  long writes() {
    return writes.get();
  }

  KubernetesClient client() {
    return client;
  }

  JsonNode tree(GenericKubernetesResource resource) {
    return client.getKubernetesSerialization().convertValue(resource, JsonNode.class);
  }

  GenericKubernetesResource resource(JsonNode tree) {
    return client.getKubernetesSerialization().convertValue(tree, GenericKubernetesResource.class);
  }

  /** The cached object {@code id}, or empty (also when the informer does not run). */
  Optional<JsonNode> cached(
      SharedIndexInformer<GenericKubernetesResource> informer, NamespacedName id) {
    if (informer == null) {
      return Optional.empty();
    }
    GenericKubernetesResource found =
        informer.getStore().getByKey(id.namespace() + "/" + id.name());
    return found == null ? Optional.empty() : Optional.of(tree(found));
  }

  /** A live read, for objects no informer holds (Services we do not own). */
  Optional<JsonNode> get(String apiVersion, String kind, NamespacedName id) {
    GenericKubernetesResource found =
        client
            .genericKubernetesResources(apiVersion, kind)
            .inNamespace(id.namespace())
            .withName(id.name())
            .get();
    return found == null ? Optional.empty() : Optional.of(tree(found));
  }

  JsonNode create(JsonNode object) {
    return tree(write(object).create());
  }

  /** PUT with the object's resourceVersion: fails with 409 when someone wrote in between. */
  JsonNode update(JsonNode object) {
    return tree(write(object).update());
  }

  /** PUT to {@code /status} with the object's resourceVersion. */
  JsonNode updateStatus(JsonNode object) {
    return tree(write(object).updateStatus());
  }

  /** JSON merge patch of the main resource (e.g. one annotation). */
  JsonNode mergePatch(String apiVersion, String kind, NamespacedName id, JsonNode patch) {
    checkLeading();
    writes.incrementAndGet();
    return tree(
        client
            .genericKubernetesResources(apiVersion, kind)
            .inNamespace(id.namespace())
            .withName(id.name())
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()));
  }

  /** Server-side apply as field manager {@value #FIELD_MANAGER}, taking over conflicting fields. */
  JsonNode apply(JsonNode object) {
    return tree(write(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
  }

  void delete(String apiVersion, String kind, NamespacedName id) {
    checkLeading();
    writes.incrementAndGet();
    client
        .genericKubernetesResources(apiVersion, kind)
        .inNamespace(id.namespace())
        .withName(id.name())
        .delete();
  }

  private Resource<GenericKubernetesResource> write(JsonNode object) {
    checkLeading();
    writes.incrementAndGet();
    GenericKubernetesResource resource = resource(object);
    return client
        .genericKubernetesResources(resource.getApiVersion(), resource.getKind())
        .inNamespace(Json.stringOr(object, "default", "metadata", "namespace"))
        .resource(resource);
  }

  private void checkLeading() {
    if (!leading.getAsBoolean()) {
      throw new NotLeader();
    }
  }

  static boolean conflict(Throwable e) {
    return e instanceof KubernetesClientException k
        && k.getCode() == HttpURLConnection.HTTP_CONFLICT;
  }
}
