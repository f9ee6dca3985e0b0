package dev.ofn.webhook.controller;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.cluster.ClusterGatewayCatalog;
import dev.ofn.webhook.cluster.ConflictIndexFeed;
import dev.ofn.webhook.cluster.Informers;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.HostOwnership;
import dev.ofn.webhook.routing.RouteKeys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's mock API server in CRUD mode with our CRDs registered (so discovery, the status
 * subresource and generations behave), plus server-side apply emulation ({@link
 * ApplyingDispatcher}), and controller replicas wired as {@code WebhookServer} wires them.
 */
final class MockCluster implements AutoCloseable {
  static final String FUNCTIONS = "core.openfunction.io/v1beta2";
  static final String OFN_GATEWAYS = "networking.openfunction.io/v1alpha1";
  static final String GATEWAY_API = "gateway.networking.k8s.io/v1";
  static final String KNATIVE = "serving.knative.dev/v1";

  /**
   * Knative is not among our CRDs: a schemaless stand-in for discovery and the status subresource.
   */
  private static final String KNATIVE_SERVICES_CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: services.serving.knative.dev}
      spec:
        group: serving.knative.dev
        scope: Namespaced
        names: {kind: Service, listKind: ServiceList, plural: services, singular: service, shortNames: [ksvc]}
        versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
      """;

  /** Held: java.util.logging keeps loggers weakly, and would forget the level. */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
  }

  final ApplyingDispatcher dispatcher = new ApplyingDispatcher();
  final KubernetesMockServer server;
  final KubernetesClient client;
  private final List<Replica> replicas = new ArrayList<>();

  MockCluster() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    for (String file :
        List.of(
            "core.openfunction.io_functions.yaml",
            "networking.openfunction.io_gateways.yaml",
            "gateway.networking.k8s.io_gateways.yaml",
            "gateway.networking.k8s.io_httproutes.yaml")) {
      try {
        createCrd(Files.readString(Fixtures.crds().resolve(file)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    createCrd(KNATIVE_SERVICES_CRD);
  }

  private void createCrd(String yaml) {
    CustomResourceDefinition crd =
        client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  /**
   * One webhook replica's controller half: its own client, catalog, index, feed, Lease campaign.
   */
  final class Replica implements AutoCloseable {
    final KubernetesClient client = server.createClient();
    final Informers informers = new Informers(client, true);
    final ClusterGatewayCatalog catalog = new ClusterGatewayCatalog(client, informers);
    final ConflictIndex index = new ConflictIndex();
    final RouteKeys routeKeys = new RouteKeys(catalog);
    final HostOwnership ownership = new HostOwnership(catalog, index, OwnershipMode.OFF);
    final ConflictIndexFeed feed =
        new ConflictIndexFeed(client, informers, index, routeKeys, ownership);
    final Leadership leadership;
    final io.prometheus.metrics.model.registry.PrometheusRegistry metrics =
        new io.prometheus.metrics.model.registry.PrometheusRegistry();
    final Controller controller;

    Replica(String identity, Leadership.Timing timing, Controller.Settings settings) {
      feed.start();
      leadership = new Leadership(client, "ofn-webhook-system", "ofn-webhook", identity, timing);
      controller =
          new Controller(
              client,
              informers,
              catalog,
              index,
              routeKeys,
              leadership,
              settings,
              new ControllerMetrics(metrics),
              ownership);
      controller.start();
      informers.start();
      leadership.start();
    }

    @Override
    public void close() {
      controller.close();
      leadership.close();
      feed.close();
      informers.close();
      client.close();
    }
  }

  static final Leadership.Timing FAST_LEASE =
      new Leadership.Timing(
          Duration.ofMillis(2000), Duration.ofMillis(1500), Duration.ofMillis(200));

  static final Controller.Settings FAST =
      new Controller.Settings(
          Duration.ofMinutes(10),
          Duration.ofMillis(200),
          Duration.ofSeconds(2),
          2,
          java.time.Clock.systemUTC());

  Replica replica(String identity) {
    Replica replica = new Replica(identity, FAST_LEASE, FAST);
    replicas.add(replica);
    return replica;
  }

  // ---- object helpers (trees in, trees out) ----

  JsonNode create(JsonNode object) {
    return tree(client.resource(resource(object)).create());
  }

  JsonNode update(JsonNode object) {
    return tree(client.resource(resource(object)).update());
  }

  JsonNode updateStatus(JsonNode object) {
    return tree(client.resource(resource(object)).updateStatus());
  }

  /** Read, change, write the status; again on 409 (the controller may write in between). */
  JsonNode editStatus(
      String apiVersion, String kind, String namespace, String name, Consumer<ObjectNode> edit) {
    for (int attempt = 1; ; attempt++) {
      ObjectNode object = (ObjectNode) require(apiVersion, kind, namespace, name).deepCopy();
      edit.accept(object);
      try {
        return updateStatus(object);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
      }
    }
  }

  Optional<JsonNode> get(String apiVersion, String kind, String namespace, String name) {
    GenericKubernetesResource found =
        client
            .genericKubernetesResources(apiVersion, kind)
            .inNamespace(namespace)
            .withName(name)
            .get();
    return Optional.ofNullable(found).map(this::tree);
  }

  JsonNode require(String apiVersion, String kind, String namespace, String name) {
    return get(apiVersion, kind, namespace, name)
        .orElseThrow(() -> new AssertionError(kind + " " + namespace + "/" + name + " not found"));
  }

  void delete(String apiVersion, String kind, String namespace, String name) {
    client
        .genericKubernetesResources(apiVersion, kind)
        .inNamespace(namespace)
        .withName(name)
        .delete();
  }

  List<JsonNode> list(String apiVersion, String kind, String namespace) {
    List<JsonNode> items = new ArrayList<>();
    client
        .genericKubernetesResources(apiVersion, kind)
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(item -> items.add(tree(item)));
    return items;
  }

  JsonNode tree(GenericKubernetesResource resource) {
    return client.getKubernetesSerialization().convertValue(resource, JsonNode.class);
  }

  GenericKubernetesResource resource(JsonNode tree) {
    return client.getKubernetesSerialization().convertValue(tree, GenericKubernetesResource.class);
  }

  static NamespacedName id(String namespace, String name) {
    return new NamespacedName(namespace, name);
  }

  static ObjectNode yaml(String text) {
    return (ObjectNode) Json.YAML.readTree(text);
  }

  @Override
  public void close() {
    replicas.forEach(Replica::close);
    client.close();
    server.destroy();
  }
}
