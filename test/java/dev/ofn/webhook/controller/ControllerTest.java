package dev.ofn.webhook.controller;

import static dev.ofn.webhook.controller.MockCluster.FUNCTIONS;
import static dev.ofn.webhook.controller.MockCluster.GATEWAY_API;
import static dev.ofn.webhook.controller.MockCluster.KNATIVE;
import static dev.ofn.webhook.controller.MockCluster.OFN_GATEWAYS;
import static dev.ofn.webhook.controller.MockCluster.yaml;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.Owner;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The controller against fabric8's mock API server (CRUD): the fixtures go in as our mutating webhook
 * and OpenFunction would leave them (defaulted, serving status, Knative Service), and the HTTPRoutes,
 * Services, statuses, listeners and annotations are awaited (polling, no sleeps).
 */
class ControllerTest {
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
    cluster.create(yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: contour, namespace: projectcontour}
        spec:
          gatewayClassName: contour
          listeners:
            - {name: http, protocol: HTTP, port: 8080, allowedRoutes: {namespaces: {from: Same}}}
        """));
    cluster.create(yaml("""
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
    return OfnGateway.from(cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction"));
  }

  /** Our mutating webhook (persisted generated route), then the apiserver. */
  JsonNode admit(ObjectNode function) {
    return cluster.create(FunctionDefaulter.apply(function, FunctionContext.create("default", gateway())).object());
  }

  /** OpenFunction's serving is running; for Knative its Service has a ready revision. */
  void serve(String name, String knativeService, String revision) {
    cluster.editStatus(FUNCTIONS, "Function", "default", name,
        f -> Json.objectAt(f, "status", "serving").put("state", "Running").put("service", knativeService));
    if (revision != null) {
      JsonNode ksvc = cluster.create(yaml("""
          apiVersion: serving.knative.dev/v1
          kind: Service
          metadata: {name: %s, namespace: default}
          spec: {template: {spec: {containers: [{image: openfunctiondev/v1beta1-http:latest}]}}}
          """.formatted(knativeService)));
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
      System.err.println("DEBUG queue idle " + replica.controller.idle() + " failing " + replica.controller.failing() + " leader " + replica.leadership.isLeader());
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
        .map(e -> e.path("reason").asString()).toList();
  }

  void awaitQuiet() {
    eventually().until(() -> replica.controller.idle());
  }

  // ---- the tests ----

  @Test
  void knativeSampleGetsItsRouteServiceAndAddresses() {
    JsonNode route = sampleServed();
    assertEquals(yaml("""
        parentRefs:
          - {group: gateway.networking.k8s.io, kind: Gateway, namespace: projectcontour, name: contour, sectionName: ofn-http-internal}
          - {group: gateway.networking.k8s.io, kind: Gateway, namespace: projectcontour, name: contour, sectionName: ofn-http-external}
        hostnames:
          - function-sample-serving-only.default.ofn.io
          - function-sample-serving-only.default.svc.cluster.local
        rules:
          - matches:
              - path: {type: PathPrefix, value: /}
            backendRefs:
              - {group: "", kind: Service, name: function-sample-serving-only-00001, namespace: default, port: 80, weight: 1}
            filters:
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set:
                    - {name: Host, value: function-sample-serving-only-00001.default.svc.cluster.local}
        """), route.path("spec"));
    JsonNode function = function(SAMPLE);
    assertEquals("ofn-webhook", route.path("metadata").path("labels").path("app.kubernetes.io/created-by").asString());
    assertEquals("openfunction.openfunction",
        route.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asString());
    assertEquals(SAMPLE, route.path("metadata").path("labels").path("openfunction.io/function").asString());
    JsonNode owner = route.path("metadata").path("ownerReferences").get(0);
    assertEquals(function.path("metadata").path("uid"), owner.path("uid"));
    assertTrue(owner.path("controller").asBoolean());

    eventually().untilAsserted(() -> assertEquals(yaml("""
        addresses:
          - {type: External, value: "http://function-sample-serving-only.default.ofn.io/"}
          - {type: Internal, value: "http://function-sample-serving-only.default.svc.cluster.local/"}
        """).path("addresses"), function(SAMPLE).path("status").path("addresses")));
    JsonNode status = function(SAMPLE).path("status");
    assertEquals(yaml("{hosts: [function-sample-serving-only.default.ofn.io, function-sample-serving-only.default.svc.cluster.local]}")
        .path("hosts"), status.path("route").path("hosts"));
    assertEquals(yaml("{paths: [{type: PathPrefix, value: /}]}").path("paths"), status.path("route").path("paths"));
    assertEquals("Running", status.path("serving").path("state").asString(), "OpenFunction's status parts survive");
    JsonNode ready = routeReady(function(SAMPLE));
    assertEquals("True", ready.path("status").asString());
    assertEquals("Accepted", ready.path("reason").asString());

    eventually().until(() -> cluster.get("v1", "Service", "default", SAMPLE).isPresent());
    JsonNode service = cluster.require("v1", "Service", "default", SAMPLE);
    assertEquals(yaml("""
        type: ExternalName
        externalName: gateway.openfunction.svc.cluster.local
        ports: [{name: ofn-http-internal, protocol: TCP, port: 80, targetPort: 80}]
        """), service.path("spec"));
    assertEquals("Function", service.path("metadata").path("ownerReferences").get(0).path("kind").asString());
    eventually().until(() -> eventReasons(SAMPLE).contains("Accepted"));
  }

  @Test
  void kedaSampleIsRoutedThroughTheInterceptor() {
    admit(Fixtures.load("function-kedahttp-sample-serving.yaml", "default"));
    serve(KEDA, KEDA + "-svc", null);
    JsonNode route = awaitRoute(KEDA);
    // podinfo.com is on no listener of the default gateway: only the internal listener is a parent.
    assertEquals(yaml("""
        parentRefs:
          - {group: gateway.networking.k8s.io, kind: Gateway, namespace: projectcontour, name: contour, sectionName: ofn-http-internal}
        hostnames: [podinfo.com, kedahttp-sample.default.svc.cluster.local]
        rules:
          - matches:
              - path: {type: PathPrefix, value: /}
            backendRefs:
              - {group: "", kind: Service, name: keda-add-ons-http-interceptor-proxy, namespace: default, port: 8080, weight: 1}
            filters:
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: Host, value: podinfo.com}]
        """), route.path("spec"));
    eventually().untilAsserted(() -> assertEquals(yaml("""
        addresses:
          - {type: External, value: "http://podinfo.com/"}
          - {type: Internal, value: "http://kedahttp-sample.default.svc.cluster.local/"}
        """).path("addresses"), function(KEDA).path("status").path("addresses")));
  }

  @Test
  void wasmedgeSampleWaitsForItsBackend() {
    admit(Fixtures.load("wasmedge-http-server.yaml", "default"));
    eventually().until(() -> "BackendNotReady".equals(reasonOf("wasmedge-http-server")));
    assertEquals("the Function's serving is not running", routeReady(function("wasmedge-http-server")).path("message").asString());
    assertTrue(cluster.get(GATEWAY_API, "HTTPRoute", "default", "wasmedge-http-server").isEmpty());
    serve("wasmedge-http-server", "wasmedge-http-server-ksvc", null);
    eventually().until(() -> routeReady(function("wasmedge-http-server")).path("message").asString()
        .equals("Knative Service default/wasmedge-http-server-ksvc not found"));
    JsonNode ksvc = cluster.create(yaml("""
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: wasmedge-http-server-ksvc, namespace: default}
        """));
    ObjectNode ready = (ObjectNode) ksvc.deepCopy();
    Json.objectAt(ready, "status").put("latestReadyRevisionName", "wasmedge-http-server-00001");
    cluster.updateStatus(ready);
    JsonNode route = awaitRoute("wasmedge-http-server");
    assertEquals(yaml("{rules: [{matches: [{path: {type: PathPrefix, value: /echo}}]}]}").path("rules").get(0).path("matches"),
        route.path("spec").path("rules").get(0).path("matches"));
    eventually().until(() -> "Accepted".equals(reasonOf("wasmedge-http-server")));
    assertEquals(List.of("BackendNotReady", "Accepted"), eventReasons("wasmedge-http-server"),
        "one event per change of reason, none for a message change");
  }

  @Test
  void listenersAreAppliedIntoTheK8sGatewayAndItsStatusMirrored() {
    eventually().until(() -> cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour")
        .path("spec").path("listeners").size() == 3);
    JsonNode k8s = cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour");
    assertEquals(List.of("http", "ofn-http-internal", "ofn-http-external"),
        k8s.path("spec").path("listeners").valueStream().map(l -> l.path("name").asString()).toList());
    assertEquals("ofn-http-internal,ofn-http-external",
        k8s.path("metadata").path("annotations").path("networking.openfunction.io/injected-listeners").asString());
    ApplyingDispatcher.Apply apply = cluster.dispatcher.applies().get(0);
    assertTrue(apply.path().contains("fieldManager=ofn-webhook") && apply.path().contains("force=true"), apply.path());
    assertTrue(apply.contentType().startsWith("application/apply-patch+yaml"), apply.contentType());
    assertEquals(List.of("ofn-http-internal", "ofn-http-external"),
        apply.body().path("spec").path("listeners").valueStream().map(l -> l.path("name").asString()).toList(),
        "only our listener entries are applied: the owner keeps the rest");
    assertFalse(apply.body().path("spec").has("gatewayClassName"));

    JsonNode ofn = cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction");
    assertEquals(List.of("networking.openfunction.io/finalizer"),
        ofn.path("metadata").path("finalizers").valueStream().map(JsonNode::asString).toList());
    eventually().until(() -> cluster.get("v1", "Service", "openfunction", "gateway").isPresent());
    assertEquals("envoy.projectcontour.svc.cluster.local",
        cluster.require("v1", "Service", "openfunction", "gateway").path("spec").path("externalName").asString());

    // The gateway implementation reports; the OFN Gateway mirrors it (our listeners only).
    ObjectNode reported = (ObjectNode) cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour").deepCopy();
    reported.set("status", yaml("""
        addresses: [{type: IPAddress, value: 10.0.0.7}]
        conditions:
          - {type: Programmed, status: "True", reason: Programmed, message: ok, lastTransitionTime: "2025-01-01T00:00:00Z", observedGeneration: 2}
        listeners:
          - {name: http, attachedRoutes: 0, supportedKinds: [{kind: HTTPRoute}], conditions: []}
          - name: ofn-http-internal
            attachedRoutes: 1
            supportedKinds: [{kind: HTTPRoute}]
            conditions: [{type: Programmed, status: "True", reason: Programmed, message: "", lastTransitionTime: "2025-01-01T00:00:00Z"}]
        """));
    cluster.updateStatus(reported);
    eventually().untilAsserted(() -> assertEquals(yaml("""
        addresses: [{type: IPAddress, value: 10.0.0.7}]
        conditions:
          - {type: Programmed, status: "True", reason: Programmed, message: ok, lastTransitionTime: "2025-01-01T00:00:00Z", observedGeneration: 2}
        listeners:
          - name: ofn-http-internal
            attachedRoutes: 1
            supportedKinds: [{kind: HTTPRoute}]
            conditions: [{type: Programmed, status: "True", reason: Programmed, message: "", lastTransitionTime: "2025-01-01T00:00:00Z"}]
        """), cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction").path("status")));
  }

  @Test
  void deletingTheOfnGatewayRemovesOurListenersAndTheFinalizer() {
    eventually().until(() -> cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour")
        .path("spec").path("listeners").size() == 3);
    cluster.delete(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction");
    eventually().until(() -> cluster.get(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction").isEmpty());
    JsonNode k8s = cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour");
    assertEquals(List.of("http"), k8s.path("spec").path("listeners").valueStream().map(l -> l.path("name").asString()).toList());
    assertTrue(k8s.path("metadata").path("annotations").path("networking.openfunction.io/injected-listeners").isMissingNode());
  }

  @Test
  void aMissingK8sGatewayIsReportedNotFound() {
    cluster.delete(GATEWAY_API, "Gateway", "projectcontour", "contour");
    eventually().untilAsserted(() -> {
      JsonNode condition = cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction")
          .path("status").path("conditions").get(0);
      assertEquals("Ready", condition.path("type").asString());
      assertEquals("False", condition.path("status").asString());
      assertEquals("NotFound", condition.path("reason").asString());
    });
  }

  @Test
  void aDomainChangeTouchesFunctionsWithGeneratedFieldsAndRoutesFollow() {
    sampleServed();
    admit(Fixtures.load("function-kedahttp-sample-serving.yaml", "default")); // user hostnames: never touched
    ObjectNode gateway = (ObjectNode) cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction").deepCopy();
    ((ObjectNode) gateway.path("spec")).put("domain", "1.2.3.4.sslip.io");
    JsonNode updated = cluster.update(GatewayDefaulter.apply(gateway)); // our mutating webhook re-derives listener hosts
    String renderedFrom = "openfunction/openfunction@" + updated.path("metadata").path("generation").asLong();

    eventually().until(() -> renderedFrom.equals(
        function(SAMPLE).path("metadata").path("annotations").path("networking.openfunction.io/rendered-from").asString("")));
    // Derivation renders generated fields from the current gateway: the route follows before any re-render.
    eventually().untilAsserted(() -> assertEquals(
        List.of("function-sample-serving-only.default.1.2.3.4.sslip.io", "function-sample-serving-only.default.svc.cluster.local"),
        cluster.require(GATEWAY_API, "HTTPRoute", "default", SAMPLE).path("spec").path("hostnames").valueStream()
            .map(JsonNode::asString).toList()));
    eventually().untilAsserted(() -> assertEquals("http://function-sample-serving-only.default.1.2.3.4.sslip.io/",
        function(SAMPLE).path("status").path("addresses").get(0).path("value").asString()));
    assertTrue(function(KEDA).path("metadata").path("annotations").path("networking.openfunction.io/rendered-from").isMissingNode());

    // The UPDATE our annotation caused passes our mutating webhook, which re-renders the spec.
    JsonNode stored = function(SAMPLE);
    JsonNode rerendered = FunctionDefaulter.apply(stored, FunctionContext.update("default", stored, gateway())).object();
    cluster.update(rerendered);
    eventually().untilAsserted(() -> assertEquals("function-sample-serving-only.default.1.2.3.4.sslip.io",
        function(SAMPLE).path("spec").path("serving").path("triggers").path("http").path("route").path("hostnames").get(0).asString()));
    awaitQuiet();
    long writes = replica.controller.writes();
    replica.controller.resyncAll();
    awaitQuiet();
    assertEquals(writes, replica.controller.writes(), "re-rendered: nothing left to touch");
    assertEquals(renderedFrom,
        function(SAMPLE).path("metadata").path("annotations").path("networking.openfunction.io/rendered-from").asString());
  }

  @Test
  void aDeletedFunctionLeavesTheConflictIndex() {
    sampleServed();
    Owner function = Owner.function("default", SAMPLE);
    Owner route = Owner.httpRoute("default", SAMPLE);
    eventually().until(() -> !replica.index.storedKeys(function).isEmpty() && !replica.index.storedKeys(route).isEmpty());
    cluster.delete(FUNCTIONS, "Function", "default", SAMPLE);
    eventually().until(() -> replica.index.storedKeys(function).isEmpty());
    cluster.delete(GATEWAY_API, "HTTPRoute", "default", SAMPLE); // the garbage collector's part (owner reference)
    eventually().until(() -> replica.index.storedKeys(route).isEmpty());
  }

  @Test
  void aForeignHttpRouteOfTheSameNameIsLeftUntouched() {
    JsonNode foreign = cluster.create(yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: function-sample-serving-only, namespace: default, labels: {team: a}}
        spec:
          parentRefs: [{name: other, namespace: elsewhere}]
          hostnames: [legacy.example.com]
          rules: [{backendRefs: [{name: legacy, port: 80}]}]
        """));
    eventually().until(() -> replica.feed.informer("httproutes").orElseThrow().getStore().getByKey("default/" + SAMPLE) != null);
    admit(Fixtures.load(SAMPLE + ".yaml", "default"));
    serve(SAMPLE, SAMPLE + "-ksvc", SAMPLE + "-00001");
    eventually().until(() -> "HTTPRouteNameTaken".equals(reasonOf(SAMPLE)));
    assertEquals("False", routeReady(function(SAMPLE)).path("status").asString());
    awaitQuiet();
    JsonNode after = cluster.require(GATEWAY_API, "HTTPRoute", "default", SAMPLE);
    assertEquals(foreign.path("metadata").path("resourceVersion"), after.path("metadata").path("resourceVersion"));
    assertEquals(foreign.path("spec"), after.path("spec"));
    assertEquals(List.of("HTTPRouteNameTaken"), eventReasons(SAMPLE));
  }

  @Test
  void aFunctionOnAMissingGatewayIsReportedOnceAndNotRetried() {
    ObjectNode function = Fixtures.load(SAMPLE + ".yaml", "default");
    ((ObjectNode) function.path("spec").path("serving").path("triggers").path("http").path("route").path("gatewayRef"))
        .put("name", "nowhere");
    cluster.create(function);
    eventually().until(() -> "GatewayNotFound".equals(reasonOf(SAMPLE)));
    assertEquals("OFN Gateway openfunction/nowhere not found", routeReady(function(SAMPLE)).path("message").asString());
    awaitQuiet();
    long writes = replica.controller.writes();
    String version = function(SAMPLE).path("metadata").path("resourceVersion").asString();
    replica.controller.resyncAll();
    awaitQuiet();
    assertEquals(0, replica.controller.failures(MockCluster.id("default", SAMPLE)), "not an error to retry");
    assertEquals(writes, replica.controller.writes());
    assertEquals(version, function(SAMPLE).path("metadata").path("resourceVersion").asString());
    assertEquals(List.of("GatewayNotFound"), eventReasons(SAMPLE));
  }

  @Test
  void anOlderRouteWinsAConflictThatSlippedPastAdmission() {
    // Named to sort first, so that it is older by Gateway API order even within the same second.
    cluster.create(yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: a-legacy-route, namespace: default}
        spec:
          parentRefs: [{name: contour, namespace: projectcontour, sectionName: ofn-http-external}]
          hostnames: [function-sample-serving-only.default.ofn.io]
          rules: [{backendRefs: [{name: legacy, port: 80}]}]
        """));
    eventually().until(() -> !replica.index.storedKeys(Owner.httpRoute("default", "a-legacy-route")).isEmpty());
    admit(Fixtures.load(SAMPLE + ".yaml", "default"));
    serve(SAMPLE, SAMPLE + "-ksvc", SAMPLE + "-00001");
    eventually().until(() -> "RouteConflict".equals(reasonOf(SAMPLE)));
    assertEquals("\"function-sample-serving-only.default.ofn.io PathPrefix /\" on gateway projectcontour/contour:80 "
        + "is already routed by HTTPRoute default/a-legacy-route, which is older",
        routeReady(function(SAMPLE)).path("message").asString());
    assertTrue(cluster.get(GATEWAY_API, "HTTPRoute", "default", SAMPLE).isEmpty(), "the loser's route is not written");

    cluster.delete(GATEWAY_API, "HTTPRoute", "default", "a-legacy-route");
    awaitRoute(SAMPLE);
    eventually().until(() -> "Accepted".equals(reasonOf(SAMPLE)));
  }

  @Test
  void nothingIsWrittenWhenNothingChanged() {
    sampleServed();
    eventually().until(() -> cluster.get("v1", "Service", "openfunction", "gateway").isPresent()
        && "Accepted".equals(reasonOf(SAMPLE)));
    awaitQuiet();
    List<String> before = versions();
    long writes = replica.controller.writes();
    replica.controller.resyncAll();
    awaitQuiet();
    replica.controller.resyncAll();
    awaitQuiet();
    assertEquals(writes, replica.controller.writes());
    assertEquals(before, versions());
  }

  @Test
  void ourDeletedRouteIsWrittenAgain() {
    sampleServed();
    cluster.delete(GATEWAY_API, "HTTPRoute", "default", SAMPLE);
    awaitRoute(SAMPLE);
    eventually().until(() -> "Accepted".equals(reasonOf(SAMPLE)));
  }

  List<String> versions() {
    return List.of(
        cluster.require(GATEWAY_API, "HTTPRoute", "default", SAMPLE),
        cluster.require("v1", "Service", "default", SAMPLE),
        function(SAMPLE),
        cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction"),
        cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour"),
        cluster.require("v1", "Service", "openfunction", "gateway"))
        .stream().map(o -> o.path("kind").asString() + " " + o.path("metadata").path("resourceVersion").asString()).toList();
  }
}
