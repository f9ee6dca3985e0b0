package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.json.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The informer caches the reconcilers read, as trees. Functions and HTTPRoutes come from the
 * conflict index feed, OFN and k8s Gateways from the gateway catalog (no second watch on any of
 * them); Knative Services and our own Services from the controller's informers. A null informer
 * means the cluster does not serve that resource.
 */
final class Caches {
  final SharedIndexInformer<GenericKubernetesResource> functions;
  final SharedIndexInformer<GenericKubernetesResource> httpRoutes;
  final SharedIndexInformer<GenericKubernetesResource> ofnGateways;
  final SharedIndexInformer<GenericKubernetesResource> k8sGateways;
  volatile SharedIndexInformer<GenericKubernetesResource> knativeServices;
  final SharedIndexInformer<GenericKubernetesResource> services;
  private final Cluster cluster;

  Caches(
      Cluster cluster,
      SharedIndexInformer<GenericKubernetesResource> functions,
      SharedIndexInformer<GenericKubernetesResource> httpRoutes,
      SharedIndexInformer<GenericKubernetesResource> ofnGateways,
      SharedIndexInformer<GenericKubernetesResource> k8sGateways,
      SharedIndexInformer<GenericKubernetesResource> services) {
    this.cluster = cluster;
    this.functions = functions;
    this.httpRoutes = httpRoutes;
    this.ofnGateways = ofnGateways;
    this.k8sGateways = k8sGateways;
    this.services = services;
  }

  Optional<JsonNode> function(NamespacedName id) {
    return cluster.cached(functions, id);
  }

  Optional<JsonNode> httpRoute(NamespacedName id) {
    return cluster.cached(httpRoutes, id);
  }

  Optional<JsonNode> ofnGateway(NamespacedName id) {
    return cluster.cached(ofnGateways, id);
  }

  Optional<JsonNode> k8sGateway(NamespacedName id) {
    return cluster.cached(k8sGateways, id);
  }

  Optional<JsonNode> knativeService(NamespacedName id) {
    return cluster.cached(knativeServices, id);
  }

  /** A Service: ours from the cache, anyone else's by a live GET (the cache only holds ours). */
  Optional<JsonNode> service(NamespacedName id) {
    Optional<JsonNode> ours = cluster.cached(services, id);
    return ours.isPresent() ? ours : cluster.get("v1", "Service", id);
  }

  List<GenericKubernetesResource> all(SharedIndexInformer<GenericKubernetesResource> informer) {
    return informer == null ? List.of() : informer.getStore().list();
  }

  List<GenericKubernetesResource> inNamespace(
      SharedIndexInformer<GenericKubernetesResource> informer, String namespace) {
    return informer == null
        ? List.of()
        : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  JsonNode tree(GenericKubernetesResource resource) {
    return cluster.tree(resource);
  }

  static NamespacedName id(GenericKubernetesResource resource) {
    return new NamespacedName(
        resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  static NamespacedName id(JsonNode object) {
    return new NamespacedName(
        Json.stringOr(object, "default", "metadata", "namespace"),
        Json.stringOr(object, "", "metadata", "name"));
  }

  boolean synced() {
    for (SharedIndexInformer<?> informer :
        new SharedIndexInformer<?>[] {
          functions, httpRoutes, ofnGateways, k8sGateways, knativeServices, services
        }) {
      if (informer != null && !informer.hasSynced()) {
        return false;
      }
    }
    return true;
  }
}
