package dev.ofn.webhook.controller;

import static dev.ofn.webhook.controller.MockCluster.FUNCTIONS;
import static dev.ofn.webhook.controller.MockCluster.GATEWAY_API;
import static dev.ofn.webhook.controller.MockCluster.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Traffic split against the mock API server: fn-v1's rule sends 90 to itself and 10 to fn-v2; each
 * Function's revision is a weighted backend with its own Host; a change of fn-v2 re-renders fn-v1's
 * route; fn-v2 gone leaves fn-v1 routed alone with the SplitBackendNotReady reason.
 */
class FunctionSplitControllerTest extends ControllerTestBase {
  ObjectNode function(String name, int v1, int v2) {
    ObjectNode function = Fixtures.load(SAMPLE + ".yaml", "default");
    Json.objectAt(function, "metadata").put("name", name);
    if (v1 >= 0) {
      Json.objectAt(function, "spec", "serving", "triggers", "http", "route")
          .set(
              "rules",
              Json.YAML.readTree(
                  """
                  - backendRefs:
                      - {group: core.openfunction.io, kind: Function, name: fn-v1, weight: %d}
                      - {group: core.openfunction.io, kind: Function, name: fn-v2, weight: %d}
                  """
                      .formatted(v1, v2)));
    }
    return function;
  }

  /**
   * The name of the route's backend {@code i}, "" while it has none there: polled, so a route
   * caught between two writes must read as not yet, not throw.
   */
  String backendName(JsonNode route, int i) {
    List<List<Object>> backends = backends(route);
    return backends.size() > i ? String.valueOf(backends.get(i).get(0)) : "";
  }

  List<List<Object>> backends(JsonNode route) {
    return route
        .path("spec")
        .path("rules")
        .path(0)
        .path("backendRefs")
        .valueStream()
        .map(
            b ->
                List.<Object>of(
                    b.path("name").asString(),
                    b.path("weight").asInt(),
                    b.path("filters")
                        .path(0)
                        .path("requestHeaderModifier")
                        .path("set")
                        .path(0)
                        .path("value")
                        .asString()))
        .toList();
  }

  JsonNode route(String name) {
    return cluster.require(GATEWAY_API, "HTTPRoute", "default", name);
  }

  @Test
  void aSplitRoutesEachFunctionsRevisionFollowsTheOtherAndSurvivesItsDeletion() {
    admit(function("fn-v2", -1, -1));
    serve("fn-v2", "fn-v2-ksvc", "fn-v2-ksvc-00001");
    admit(function("fn-v1", 90, 10));
    serve("fn-v1", "fn-v1-ksvc", "fn-v1-ksvc-00001");
    awaitRoute("fn-v1");
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    List.of(
                        List.of(
                            "fn-v1-ksvc-00001", 90, "fn-v1-ksvc-00001.default.svc.cluster.local"),
                        List.of(
                            "fn-v2-ksvc-00001", 10, "fn-v2-ksvc-00001.default.svc.cluster.local")),
                    backends(route("fn-v1"))));
    eventually()
        .until(
            () ->
                routeReady(function("fn-v1"))
                    .path("message")
                    .asString()
                    .equals(
                        "HTTPRoute default/fn-v1 routes the Function: fn-v1 90 (fn-v1-ksvc-00001),"
                            + " fn-v2 10 (fn-v2-ksvc-00001)"));

    // fn-v2's new revision is ready: fn-v1's route follows (nobody touched fn-v1)
    JsonNode ksvc = cluster.require("serving.knative.dev/v1", "Service", "default", "fn-v2-ksvc");
    ObjectNode newer = (ObjectNode) ksvc.deepCopy();
    Json.objectAt(newer, "status").put("latestReadyRevisionName", "fn-v2-ksvc-00002");
    cluster.updateStatus(newer);
    eventually()
        .untilAsserted(() -> assertEquals("fn-v2-ksvc-00002", backendName(route("fn-v1"), 1)));

    // fn-v2 gone: fn-v1 keeps the ready backend alone, and says why
    cluster.delete(FUNCTIONS, "Function", "default", "fn-v2");
    eventually().until(() -> "SplitBackendNotReady".equals(reasonOf("fn-v1")));
    assertEquals(
        "Function default/fn-v2 not found; the ready backends take its weight: fn-v1 90"
            + " (fn-v1-ksvc-00001)",
        routeReady(function("fn-v1")).path("message").asString());
    assertEquals("False", routeReady(function("fn-v1")).path("status").asString());
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    List.of(
                        List.of(
                            "fn-v1-ksvc-00001", 90, "fn-v1-ksvc-00001.default.svc.cluster.local")),
                    backends(route("fn-v1"))));
    assertEquals(
        yaml("{x: [{type: PathPrefix, value: /}]}").path("x"),
        function("fn-v1").path("status").path("route").path("paths"));
  }

  @Test
  void aRevisionSwitchWaitsForTheNewRevisionAndNeverKeepsAGoneOne() {
    admit(function("fn-v1", -1, -1));
    serve("fn-v1", "fn-v1-ksvc-a", "fn-v1-ksvc-a-00001");
    awaitRoute("fn-v1");
    // OpenFunction replaces the serving: a new Knative Service, not ready yet
    cluster.editStatus(
        FUNCTIONS,
        "Function",
        "default",
        "fn-v1",
        f -> Json.objectAt(f, "status", "serving").put("service", "fn-v1-ksvc-b"));
    cluster.create(
        yaml(
            """
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata: {name: fn-v1-ksvc-b, namespace: default}
            """));
    eventually()
        .until(
            () ->
                routeReady(function("fn-v1"))
                    .path("message")
                    .asString()
                    .equals("HTTPRoute default/fn-v1 routes the Function"));
    awaitQuiet();
    assertEquals("fn-v1-ksvc-a-00001", backends(route("fn-v1")).get(0).get(0));
    assertEquals("Accepted", reasonOf("fn-v1"));

    // the old Knative Service goes before the new one is ready: its revision is not kept
    cluster.delete("serving.knative.dev/v1", "Service", "default", "fn-v1-ksvc-a");
    eventually().until(() -> "BackendNotReady".equals(reasonOf("fn-v1")));
    eventually().until(() -> backends(route("fn-v1")).isEmpty());

    JsonNode ksvc = cluster.require("serving.knative.dev/v1", "Service", "default", "fn-v1-ksvc-b");
    ObjectNode ready = (ObjectNode) ksvc.deepCopy();
    Json.objectAt(ready, "status").put("latestReadyRevisionName", "fn-v1-ksvc-b-00001");
    cluster.updateStatus(ready);
    // the route has no backend until the controller saw the ready revision
    eventually()
        .ignoreExceptionsInstanceOf(IndexOutOfBoundsException.class)
        .untilAsserted(() -> assertEquals("fn-v1-ksvc-b-00001", backendName(route("fn-v1"), 0)));
    eventually().until(() -> "Accepted".equals(reasonOf("fn-v1")));
  }
}
