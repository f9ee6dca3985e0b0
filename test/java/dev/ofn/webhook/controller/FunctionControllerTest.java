package dev.ofn.webhook.controller;

import static dev.ofn.webhook.controller.MockCluster.FUNCTIONS;
import static dev.ofn.webhook.controller.MockCluster.GATEWAY_API;
import static dev.ofn.webhook.controller.MockCluster.OFN_GATEWAYS;
import static dev.ofn.webhook.controller.MockCluster.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.routing.Owner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Functions: HTTPRoutes, Services, status, events, conflicts, re-rendering (docs/behaviour.md
 * §6–§9).
 */
class FunctionControllerTest extends ControllerTestBase {
  @Test
  void knativeSampleGetsItsRouteServiceAndAddresses() {
    JsonNode route = sampleServed();
    assertEquals(
        yaml(
            """
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
        """),
        route.path("spec"));
    JsonNode function = function(SAMPLE);
    assertEquals(
        "ofn-webhook",
        route.path("metadata").path("labels").path("app.kubernetes.io/created-by").asString());
    assertEquals(
        "openfunction.openfunction",
        route.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asString());
    assertEquals(
        SAMPLE, route.path("metadata").path("labels").path("openfunction.io/function").asString());
    JsonNode owner = route.path("metadata").path("ownerReferences").get(0);
    assertEquals(function.path("metadata").path("uid"), owner.path("uid"));
    assertTrue(owner.path("controller").asBoolean());

    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    yaml("""
        addresses:
          - {type: External, value: "http://function-sample-serving-only.default.ofn.io/"}
          - {type: Internal, value: "http://function-sample-serving-only.default.svc.cluster.local/"}
        """)
                        .path("addresses"),
                    function(SAMPLE).path("status").path("addresses")));
    JsonNode status = function(SAMPLE).path("status");
    assertEquals(
        yaml("{hosts: [function-sample-serving-only.default.ofn.io, function-sample-serving-only.default.svc.cluster.local]}")
            .path("hosts"),
        status.path("route").path("hosts"));
    assertEquals(
        yaml("{paths: [{type: PathPrefix, value: /}]}").path("paths"),
        status.path("route").path("paths"));
    assertEquals(
        "Running",
        status.path("serving").path("state").asString(),
        "OpenFunction's status parts survive");
    JsonNode ready = routeReady(function(SAMPLE));
    assertEquals("True", ready.path("status").asString());
    assertEquals("Accepted", ready.path("reason").asString());

    eventually().until(() -> cluster.get("v1", "Service", "default", SAMPLE).isPresent());
    JsonNode service = cluster.require("v1", "Service", "default", SAMPLE);
    assertEquals(
        yaml(
            """
        type: ExternalName
        externalName: gateway.openfunction.svc.cluster.local
        ports: [{name: ofn-http-internal, protocol: TCP, port: 80, targetPort: 80}]
        """),
        service.path("spec"));
    assertEquals(
        "Function",
        service.path("metadata").path("ownerReferences").get(0).path("kind").asString());
    eventually().until(() -> eventReasons(SAMPLE).contains("Accepted"));
  }

  @Test
  void kedaSampleIsRoutedThroughTheInterceptor() {
    admit(Fixtures.load("function-kedahttp-sample-serving.yaml", "default"));
    serve(KEDA, KEDA + "-svc", null);
    JsonNode route = awaitRoute(KEDA);
    // podinfo.com is on no listener of the default gateway: only the internal listener is a parent.
    assertEquals(
        yaml(
            """
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
        """),
        route.path("spec"));
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    yaml("""
        addresses:
          - {type: External, value: "http://podinfo.com/"}
          - {type: Internal, value: "http://kedahttp-sample.default.svc.cluster.local/"}
        """)
                        .path("addresses"),
                    function(KEDA).path("status").path("addresses")));
  }

  @Test
  void wasmedgeSampleWaitsForItsBackend() {
    admit(Fixtures.load("wasmedge-http-server.yaml", "default"));
    eventually().until(() -> "BackendNotReady".equals(reasonOf("wasmedge-http-server")));
    assertEquals(
        "the Function's serving is not running",
        routeReady(function("wasmedge-http-server")).path("message").asString());
    assertTrue(cluster.get(GATEWAY_API, "HTTPRoute", "default", "wasmedge-http-server").isEmpty());
    serve("wasmedge-http-server", "wasmedge-http-server-ksvc", null);
    eventually()
        .until(
            () ->
                routeReady(function("wasmedge-http-server"))
                    .path("message")
                    .asString()
                    .equals("Knative Service default/wasmedge-http-server-ksvc not found"));
    JsonNode ksvc =
        cluster.create(
            yaml(
                """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: wasmedge-http-server-ksvc, namespace: default}
        """));
    ObjectNode ready = (ObjectNode) ksvc.deepCopy();
    Json.objectAt(ready, "status").put("latestReadyRevisionName", "wasmedge-http-server-00001");
    cluster.updateStatus(ready);
    JsonNode route = awaitRoute("wasmedge-http-server");
    assertEquals(
        yaml("{rules: [{matches: [{path: {type: PathPrefix, value: /echo}}]}]}")
            .path("rules")
            .get(0)
            .path("matches"),
        route.path("spec").path("rules").get(0).path("matches"));
    eventually().until(() -> "Accepted".equals(reasonOf("wasmedge-http-server")));
    assertEquals(
        List.of("BackendNotReady", "Accepted"),
        eventReasons("wasmedge-http-server"),
        "one event per change of reason, none for a message change");
  }

  @Test
  void aDomainChangeTouchesFunctionsWithGeneratedFieldsAndRoutesFollow() {
    sampleServed();
    admit(
        Fixtures.load(
            "function-kedahttp-sample-serving.yaml", "default")); // user hostnames: never touched
    ObjectNode gateway =
        (ObjectNode)
            cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction").deepCopy();
    ((ObjectNode) gateway.path("spec")).put("domain", "1.2.3.4.sslip.io");
    JsonNode updated =
        cluster.update(
            GatewayDefaulter.apply(gateway)); // our mutating webhook re-derives listener hosts
    String renderedFrom =
        "openfunction/openfunction@" + updated.path("metadata").path("generation").asLong();

    eventually()
        .until(
            () ->
                renderedFrom.equals(
                    function(SAMPLE)
                        .path("metadata")
                        .path("annotations")
                        .path("networking.openfunction.io/rendered-from")
                        .asString("")));
    // Derivation renders generated fields from the current gateway: the route follows before any
    // re-render.
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    List.of(
                        "function-sample-serving-only.default.1.2.3.4.sslip.io",
                        "function-sample-serving-only.default.svc.cluster.local"),
                    cluster
                        .require(GATEWAY_API, "HTTPRoute", "default", SAMPLE)
                        .path("spec")
                        .path("hostnames")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList()));
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    "http://function-sample-serving-only.default.1.2.3.4.sslip.io/",
                    function(SAMPLE)
                        .path("status")
                        .path("addresses")
                        .get(0)
                        .path("value")
                        .asString()));
    assertTrue(
        function(KEDA)
            .path("metadata")
            .path("annotations")
            .path("networking.openfunction.io/rendered-from")
            .isMissingNode());

    // The UPDATE our annotation caused passes our mutating webhook, which re-renders the spec.
    JsonNode stored = function(SAMPLE);
    JsonNode rerendered =
        FunctionDefaulter.apply(stored, FunctionContext.update("default", stored, gateway()))
            .object();
    cluster.update(rerendered);
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    "function-sample-serving-only.default.1.2.3.4.sslip.io",
                    function(SAMPLE)
                        .path("spec")
                        .path("serving")
                        .path("triggers")
                        .path("http")
                        .path("route")
                        .path("hostnames")
                        .get(0)
                        .asString()));
    awaitQuiet();
    long writes = replica.controller.writes();
    replica.controller.resyncAll();
    awaitQuiet();
    assertEquals(writes, replica.controller.writes(), "re-rendered: nothing left to touch");
    assertEquals(
        renderedFrom,
        function(SAMPLE)
            .path("metadata")
            .path("annotations")
            .path("networking.openfunction.io/rendered-from")
            .asString());
  }

  @Test
  void aDeletedFunctionLeavesTheConflictIndex() {
    sampleServed();
    Owner function = Owner.function("default", SAMPLE);
    Owner route = Owner.httpRoute("default", SAMPLE);
    eventually()
        .until(
            () ->
                !replica.index.storedKeys(function).isEmpty()
                    && !replica.index.storedKeys(route).isEmpty());
    cluster.delete(FUNCTIONS, "Function", "default", SAMPLE);
    eventually().until(() -> replica.index.storedKeys(function).isEmpty());
    cluster.delete(
        GATEWAY_API,
        "HTTPRoute",
        "default",
        SAMPLE); // the garbage collector's part (owner reference)
    eventually().until(() -> replica.index.storedKeys(route).isEmpty());
  }

  @Test
  void aForeignHttpRouteOfTheSameNameIsLeftUntouched() {
    JsonNode foreign =
        cluster.create(
            yaml(
                """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: function-sample-serving-only, namespace: default, labels: {team: a}}
        spec:
          parentRefs: [{name: other, namespace: elsewhere}]
          hostnames: [legacy.example.com]
          rules: [{backendRefs: [{name: legacy, port: 80}]}]
        """));
    eventually()
        .until(
            () ->
                replica.informers.httpRoutes().get(MockCluster.id("default", SAMPLE)).isPresent());
    admit(Fixtures.load(SAMPLE + ".yaml", "default"));
    serve(SAMPLE, SAMPLE + "-ksvc", SAMPLE + "-00001");
    eventually().until(() -> "HTTPRouteNameTaken".equals(reasonOf(SAMPLE)));
    assertEquals("False", routeReady(function(SAMPLE)).path("status").asString());
    awaitQuiet();
    JsonNode after = cluster.require(GATEWAY_API, "HTTPRoute", "default", SAMPLE);
    assertEquals(
        foreign.path("metadata").path("resourceVersion"),
        after.path("metadata").path("resourceVersion"));
    assertEquals(foreign.path("spec"), after.path("spec"));
    assertEquals(List.of("HTTPRouteNameTaken"), eventReasons(SAMPLE));
  }

  @Test
  void aFunctionOnAMissingGatewayIsReportedOnceAndNotRetried() {
    ObjectNode function = Fixtures.load(SAMPLE + ".yaml", "default");
    ((ObjectNode)
            function
                .path("spec")
                .path("serving")
                .path("triggers")
                .path("http")
                .path("route")
                .path("gatewayRef"))
        .put("name", "nowhere");
    cluster.create(function);
    eventually().until(() -> "GatewayNotFound".equals(reasonOf(SAMPLE)));
    assertEquals(
        "OFN Gateway openfunction/nowhere not found",
        routeReady(function(SAMPLE)).path("message").asString());
    awaitQuiet();
    long writes = replica.controller.writes();
    String version = function(SAMPLE).path("metadata").path("resourceVersion").asString();
    replica.controller.resyncAll();
    awaitQuiet();
    assertEquals(
        0, replica.controller.failures(MockCluster.id("default", SAMPLE)), "not an error to retry");
    assertEquals(writes, replica.controller.writes());
    assertEquals(version, function(SAMPLE).path("metadata").path("resourceVersion").asString());
    assertEquals(List.of("GatewayNotFound"), eventReasons(SAMPLE));
  }

  @Test
  void anOlderRouteWinsAConflictThatSlippedPastAdmission() {
    // Named to sort first, so that it is older by Gateway API order even within the same second.
    cluster.create(
        yaml(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: a-legacy-route, namespace: default}
        spec:
          parentRefs: [{name: contour, namespace: projectcontour, sectionName: ofn-http-external}]
          hostnames: [function-sample-serving-only.default.ofn.io]
          rules: [{backendRefs: [{name: legacy, port: 80}]}]
        """));
    eventually()
        .until(
            () ->
                !replica.index.storedKeys(Owner.httpRoute("default", "a-legacy-route")).isEmpty());
    admit(Fixtures.load(SAMPLE + ".yaml", "default"));
    serve(SAMPLE, SAMPLE + "-ksvc", SAMPLE + "-00001");
    eventually().until(() -> "RouteConflict".equals(reasonOf(SAMPLE)));
    assertEquals(
        "\"function-sample-serving-only.default.ofn.io PathPrefix /\" on gateway projectcontour/contour:80 "
            + "is already routed by HTTPRoute default/a-legacy-route, which is older",
        routeReady(function(SAMPLE)).path("message").asString());
    assertTrue(
        cluster.get(GATEWAY_API, "HTTPRoute", "default", SAMPLE).isEmpty(),
        "the loser's route is not written");
    assertEquals(1, replica.controller.auditRoutes(), "the external key (the gauge's value)");
    assertEquals(
        Map.of("Function", 1, "HTTPRoute", 0, "GRPCRoute", 0),
        replica.controller.shadowedRoutes(),
        "the gauge's series, by the shadowed owner's kind");

    cluster.delete(GATEWAY_API, "HTTPRoute", "default", "a-legacy-route");
    awaitRoute(SAMPLE);
    eventually().until(() -> "Accepted".equals(reasonOf(SAMPLE)));
    assertEquals(0, replica.controller.auditRoutes());
  }

  @Test
  void aFunctionOnAHostnameAnotherNamespaceOwnsIsNotReadyAndItsRouteIsNotWritten() {
    eventually()
        .ignoreExceptions() // 409 while the controller writes the gateway: read it again
        .until(
            () -> {
              ObjectNode gateway =
                  (ObjectNode)
                      cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction");
              Json.objectAt(gateway, "metadata", "annotations")
                  .put(Names.HOSTNAME_OWNERSHIP_ANNOTATION, "namespace");
              cluster.update(gateway);
              return true;
            });
    // Named to sort first: older by Gateway API order even within the same second.
    cluster.create(
        yaml(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop, namespace: a-team}
        spec:
          parentRefs: [{name: contour, namespace: projectcontour, sectionName: ofn-http-external}]
          hostnames: [shop.ofn.io]
          rules: [{matches: [{path: {value: /api}}], backendRefs: [{name: shop, port: 80}]}]
        """));
    eventually()
        .until(() -> !replica.index.storedKeys(Owner.httpRoute("a-team", "shop")).isEmpty());
    ObjectNode function = Fixtures.load(SAMPLE + ".yaml", "default");
    Json.objectAt(function, "spec", "serving", "triggers", "http", "route")
        .set("hostnames", Json.YAML.readTree("[shop.ofn.io]"));
    admit(function);
    serve(SAMPLE, SAMPLE + "-ksvc", SAMPLE + "-00001");
    eventually().until(() -> "HostnameNotOwned".equals(reasonOf(SAMPLE)));
    assertEquals(
        "hostname shop.ofn.io belongs to namespace a-team (HTTPRoute a-team/shop)",
        routeReady(function(SAMPLE)).path("message").asString());
    assertTrue(
        cluster.get(GATEWAY_API, "HTTPRoute", "default", SAMPLE).isEmpty(),
        "the route of a Function without its hostname is not written");
    // the audit names it too (it runs after every re-key and every minute)
    replica.feed.audit();
    assertEquals(1, replica.feed.ownershipViolations());

    cluster.delete(GATEWAY_API, "HTTPRoute", "a-team", "shop");
    awaitRoute(SAMPLE);
    eventually().until(() -> "Accepted".equals(reasonOf(SAMPLE)));
  }

  @Test
  void nothingIsWrittenWhenNothingChanged() {
    sampleServed();
    eventually()
        .until(
            () ->
                cluster.get("v1", "Service", "openfunction", "gateway").isPresent()
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
  void aFunctionThatLosesItsHttpTriggerLosesItsRouteServiceAndAddresses() {
    sampleServed();
    eventually()
        .until(
            () ->
                cluster.get("v1", "Service", "default", SAMPLE).isPresent()
                    && function(SAMPLE).path("status").has("addresses"));
    ObjectNode async = (ObjectNode) function(SAMPLE).deepCopy();
    ObjectNode triggers = (ObjectNode) async.path("spec").path("serving").path("triggers");
    triggers.remove("http");
    triggers.set("dapr", yaml("{dapr: [{name: kafka-input, type: bindings.kafka}]}").path("dapr"));
    cluster.update(async);
    eventually()
        .until(
            () ->
                cluster.get(GATEWAY_API, "HTTPRoute", "default", SAMPLE).isEmpty()
                    && cluster.get("v1", "Service", "default", SAMPLE).isEmpty());
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    List.of("serving"),
                    function(SAMPLE).path("status").propertyNames().stream().toList()));
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
        .stream()
        .map(
            o ->
                o.path("kind").asString()
                    + " "
                    + o.path("metadata").path("resourceVersion").asString())
        .toList();
  }
}
