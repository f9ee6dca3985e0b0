package dev.ofn.webhook.controller;

import static dev.ofn.webhook.controller.MockCluster.FUNCTIONS;
import static dev.ofn.webhook.controller.MockCluster.GATEWAY_API;
import static dev.ofn.webhook.controller.MockCluster.OFN_GATEWAYS;
import static dev.ofn.webhook.controller.MockCluster.yaml;
import static org.awaitility.Awaitility.await;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The controller against fabric8's mock API server (CRUD): the fixtures go in as our mutating
 * webhook and OpenFunction would leave them (defaulted, serving status, Knative Service), and the
 * HTTPRoutes, Services, statuses, listeners and annotations are awaited (polling, no sleeps). One
 * leading replica.
 */
abstract class ControllerTestBase {
  static final String SAMPLE = "function-sample-serving-only";
  static final String KEDA = "kedahttp-sample";

  MockCluster cluster;
  MockCluster.Replica replica;

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
  }

  @BeforeEach
  void cluster() {
    cluster = new MockCluster();
    // The cluster's own Gateway (its owner's listener "http") and Contour's data-plane Service.
    cluster.create(
        yaml(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: contour, namespace: projectcontour}
        spec:
          gatewayClassName: contour
          listeners:
            - {name: http, protocol: HTTP, port: 8080, allowedRoutes: {namespaces: {from: Same}}}
        """));
    cluster.create(
        yaml(
            """
        apiVersion: v1
        kind: Service
        metadata: {name: envoy, namespace: projectcontour}
        spec: {type: LoadBalancer, ports: [{name: http, port: 80, targetPort: 8080}]}
        """));
    cluster.create(GatewayDefaulter.apply(Fixtures.load("default-gateway.yaml")));
    replica = cluster.replica("replica-a");
    eventually().until(() -> replica.leadership.isLeader());
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  // ---- what OpenFunction and our webhook would do ----

  OfnGateway gateway() {
    return OfnGateway.from(
        cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction"));
  }

  /** Our mutating webhook (persisted generated route), then the apiserver. */
  JsonNode admit(ObjectNode function) {
    return cluster.create(
        FunctionDefaulter.apply(function, FunctionContext.create("default", gateway())).object());
  }

  /** OpenFunction's serving is running; for Knative its Service has a ready revision. */
  void serve(String name, String knativeService, String revision) {
    cluster.editStatus(
        FUNCTIONS,
        "Function",
        "default",
        name,
        f ->
            Json.objectAt(f, "status", "serving")
                .put("state", "Running")
                .put("service", knativeService));
    if (revision != null) {
      JsonNode ksvc =
          cluster.create(
              yaml(
                  """
          apiVersion: serving.knative.dev/v1
          kind: Service
          metadata: {name: %s, namespace: default}
          spec: {template: {spec: {containers: [{image: openfunctiondev/v1beta1-http:latest}]}}}
          """
                      .formatted(knativeService)));
      ObjectNode ready = (ObjectNode) ksvc.deepCopy();
      Json.objectAt(ready, "status").put("latestReadyRevisionName", revision);
      cluster.updateStatus(ready);
    }
  }

  JsonNode sampleServed() {
    admit(Fixtures.load(SAMPLE + ".yaml", "default"));
    serve(SAMPLE, SAMPLE + "-ksvc-7x2qz", SAMPLE + "-00001");
    return awaitRoute(SAMPLE);
  }

  JsonNode awaitRoute(String name) {
    try {
      eventually().until(() -> cluster.get(GATEWAY_API, "HTTPRoute", "default", name).isPresent());
    } catch (RuntimeException e) {
      System.err.println("DEBUG function " + cluster.get(FUNCTIONS, "Function", "default", name));
      System.err.println(
          "DEBUG queue idle "
              + replica.controller.idle()
              + " failing "
              + replica.controller.failing()
              + " leader "
              + replica.leadership.isLeader());
      throw e;
    }
    return cluster.require(GATEWAY_API, "HTTPRoute", "default", name);
  }

  JsonNode function(String name) {
    return cluster.require(FUNCTIONS, "Function", "default", name);
  }

  static JsonNode routeReady(JsonNode function) {
    for (JsonNode condition : function.path("status").path("route").path("conditions")) {
      if ("RouteReady".equals(condition.path("type").asString())) {
        return condition;
      }
    }
    return Json.object();
  }

  String reasonOf(String name) {
    return routeReady(function(name)).path("reason").asString("");
  }

  List<String> eventReasons(String name) {
    return cluster.list("v1", "Event", "default").stream()
        .filter(e -> name.equals(e.path("involvedObject").path("name").asString()))
        .map(e -> e.path("reason").asString())
        .toList();
  }

  /**
   * Until the controller is idle and has written nothing for half a second: an informer event may
   * still be on its way when the queue first looks empty, and its reconcile would write later.
   */
  void awaitQuiet() {
    long[] lastWrites = {-1};
    long[] quietSince = {System.nanoTime()};
    eventually()
        .until(
            () -> {
              long writes = replica.controller.writes();
              if (!replica.controller.idle() || writes != lastWrites[0]) {
                lastWrites[0] = writes;
                quietSince[0] = System.nanoTime();
                return false;
              }
              return System.nanoTime() - quietSince[0] > 500_000_000L;
            });
  }
}
