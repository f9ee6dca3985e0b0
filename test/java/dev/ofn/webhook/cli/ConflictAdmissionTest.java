package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Route conflicts at admission, over real HTTPS, standalone (the index holds what was admitted).
 */
class ConflictAdmissionTest {
  TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  JsonNode admittedFunction(String name, String hostname) {
    return TestServer.admittedFunction(name, hostname);
  }

  @Test
  void secondFunctionOnTheSameHostAndPathIsForbiddenNamingTheFirst() throws Exception {
    JsonNode first = admittedFunction("first", "sample.ofn.io");
    assertTrue(
        server
            .review(Endpoint.VALIDATE_FUNCTION, "CREATE", first, null)
            .path("allowed")
            .asBoolean());

    JsonNode second = admittedFunction("second", "sample.ofn.io");
    ((ObjectNode)
            second
                .path("spec")
                .path("serving")
                .path("triggers")
                .path("http")
                .path("route")
                .path("rules")
                .get(0)
                .path("matches")
                .get(0)
                .path("path"))
        .put("value", "/v2/foo");
    JsonNode response = server.review(Endpoint.VALIDATE_FUNCTION, "CREATE", second, null);
    assertFalse(response.path("allowed").asBoolean());
    assertEquals(403, response.path("status").path("code").asInt());
    assertEquals("Forbidden", response.path("status").path("reason").asString());
    assertEquals(
        "spec.serving.triggers.http.route.rules[0].matches[0]: Forbidden: \"sample.ofn.io PathPrefix /v2/foo\" "
            + "on gateway projectcontour/contour:80 is already routed by Function default/first",
        response.path("status").path("message").asString());
    assertEquals(
        "Function default/first",
        response.path("auditAnnotations").path("ofn.io/conflict-with").asString());
  }

  @Test
  void aDryRunLeavesNothingInTheIndex() throws Exception {
    ObjectNode review = TestServer.reviewOf("CREATE", admittedFunction("dry", "dry.ofn.io"), null);
    ((ObjectNode) review.path("request")).put("dryRun", true);
    assertTrue(server.review(Endpoint.VALIDATE_FUNCTION, review).path("allowed").asBoolean());
    JsonNode real =
        server.review(
            Endpoint.VALIDATE_FUNCTION, "CREATE", admittedFunction("real", "dry.ofn.io"), null);
    assertTrue(real.path("allowed").asBoolean(), real.toString());
  }

  @Test
  void anHttpRouteOnAPolicedGatewayClashesWithAFunction() throws Exception {
    assertTrue(
        server
            .review(Endpoint.VALIDATE_FUNCTION, "CREATE", admittedFunction("fn", "r.ofn.io"), null)
            .path("allowed")
            .asBoolean());
    JsonNode route =
        Json.YAML.readTree(
            """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: HTTPRoute
        metadata: {name: raw, namespace: team-a}
        spec:
          parentRefs: [{name: contour, namespace: projectcontour}]
          hostnames: [r.ofn.io]
          rules:
          - matches: [{path: {type: PathPrefix, value: /v2/foo}}]
        """);
    JsonNode response = server.review(Endpoint.VALIDATE_HTTPROUTE, "CREATE", route, null);
    assertFalse(response.path("allowed").asBoolean());
    assertEquals(
        "spec.rules[0].matches[0]: Forbidden: \"r.ofn.io PathPrefix /v2/foo\" on gateway projectcontour/contour:80 "
            + "is already routed by Function default/fn",
        response.path("status").path("message").asString());

    JsonNode gamma =
        Json.YAML.readTree(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: mesh, namespace: team-a}
        spec:
          parentRefs: [{group: "", kind: Service, name: backend}]
          hostnames: [r.ofn.io]
          rules:
          - matches: [{path: {type: PathPrefix, value: /v2/foo}}]
        """);
    assertTrue(
        server
            .review(Endpoint.VALIDATE_HTTPROUTE, "CREATE", gamma, null)
            .path("allowed")
            .asBoolean());
  }

  @Test
  void anUpdateKeepingAnExistingClashIsAllowedWithAWarning() throws Exception {
    JsonNode first = admittedFunction("first", "u.ofn.io");
    assertTrue(
        server
            .review(Endpoint.VALIDATE_FUNCTION, "CREATE", first, null)
            .path("allowed")
            .asBoolean());
    JsonNode second = admittedFunction("second", "u.ofn.io");
    ObjectNode edited = (ObjectNode) second.deepCopy();
    ((ObjectNode) edited.path("spec")).put("image", "other:latest");
    JsonNode response = server.review(Endpoint.VALIDATE_FUNCTION, "UPDATE", edited, second);
    assertTrue(response.path("allowed").asBoolean(), response.toString());
    assertTrue(
        response.path("warnings").toString().contains("Function default/first"),
        response.toString());
  }

  /**
   * Found by the fuzzer: an object of another kind sent to a route endpoint is a field error, not a
   * 500.
   */
  @Test
  void aMisroutedObjectIsAFieldErrorAndAMisroutedUpdateIsNotIndexed() throws Exception {
    JsonNode gateway = Fixtures.load("default-gateway.yaml");
    JsonNode created = server.review(Endpoint.VALIDATE_FUNCTION, "CREATE", gateway, null);
    assertEquals(403, created.path("status").path("code").asInt());
    assertEquals(
        "kind: Invalid value: \"Gateway\": must be Function\n"
            + "spec.image: Required value: must be specified\n"
            + "spec.serving: Required value: must be specified when `spec.build` is not enabled",
        created.path("status").path("message").asString());
    JsonNode updated = server.review(Endpoint.VALIDATE_HTTPROUTE, "UPDATE", gateway, gateway);
    assertTrue(updated.path("allowed").asBoolean(), updated.toString());
  }
}
