package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.json.Json;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The admission contract over real HTTPS, with the shared fixtures. */
class AdmissionServerTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode patched(JsonNode object, JsonNode response) {
    if (!response.has("patch")) {
      return object;
    }
    assertEquals("JSONPatch", response.path("patchType").asString());
    JsonNode ops =
        Json.MAPPER.readTree(Base64.getDecoder().decode(response.path("patch").asString()));
    return JsonPatch.apply(ops, object);
  }

  @Test
  void functionGetsItsRouteGeneratedFromTheDefaultGateway() throws Exception {
    ObjectNode function = Fixtures.load("function-sample-serving-only.yaml", "default");
    JsonNode response = server.review(Endpoint.MUTATE_FUNCTION, "CREATE", function, null);
    assertTrue(response.path("allowed").asBoolean());
    JsonNode route =
        patched(function, response)
            .path("spec")
            .path("serving")
            .path("triggers")
            .path("http")
            .path("route");
    assertEquals(
        Json.MAPPER.readTree("[\"function-sample-serving-only.default.ofn.io\"]"),
        route.path("hostnames"));
    assertEquals(
        Json.MAPPER.readTree(
            "[{\"matches\":[{\"path\":{\"type\":\"PathPrefix\",\"value\":\"/\"}}]}]"),
        route.path("rules"));
  }

  /**
   * Both edges agree: the patch the server returns gives exactly what {@code webhook default}
   * prints.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "function-sample-serving-only.yaml",
        "function-kedahttp-sample-serving.yaml",
        "wasmedge-http-server.yaml",
        "default-gateway.yaml"
      })
  void patchedObjectEqualsTheOfflineDefaultOutput(String fixture) throws Exception {
    String namespace = fixture.equals("default-gateway.yaml") ? "openfunction" : "default";
    ObjectNode object = Fixtures.load(fixture, namespace);
    Endpoint endpoint =
        "Function".equals(object.path("kind").asString())
            ? Endpoint.MUTATE_FUNCTION
            : Endpoint.MUTATE_GATEWAY;
    JsonNode viaServer = patched(object, server.review(endpoint, "CREATE", object, null));
    assertEquals(offlineDefault(Fixtures.dir().resolve(fixture).toString(), namespace), viaServer);
  }

  @Test
  void defaultingTwiceEqualsDefaultingOnceAndUnknownFieldsSurvive() throws Exception {
    ObjectNode function = Fixtures.load("function-sample-serving-only.yaml", "default");
    function.putObject("x-extension").put("keep", "me");
    ((ObjectNode) function.path("spec")).put("futureField", 42);
    ((ObjectNode) function.path("spec").path("serving").path("triggers").path("http").path("route"))
        .putArray("unknownList")
        .add("a");
    JsonNode once =
        patched(function, server.review(Endpoint.MUTATE_FUNCTION, "CREATE", function, null));
    JsonNode second = server.review(Endpoint.MUTATE_FUNCTION, "CREATE", once, null);
    assertFalse(second.has("patch"), "second pass patched: " + second);
    JsonNode onUpdate = server.review(Endpoint.MUTATE_FUNCTION, "UPDATE", once, once);
    assertFalse(onUpdate.has("patch"), "unchanged UPDATE patched: " + onUpdate);
    assertEquals("me", once.path("x-extension").path("keep").asString());
    assertEquals(42, once.path("spec").path("futureField").asInt());
    assertEquals(
        "[\"a\"]",
        once.path("spec")
            .path("serving")
            .path("triggers")
            .path("http")
            .path("route")
            .path("unknownList")
            .toString());
    List<String> order = once.path("spec").propertyNames().stream().toList();
    assertEquals(List.of("image", "serving", "version", "workloadRuntime", "futureField"), order);
  }

  @Test
  void defaultGatewayWithAChangedListenerHostnameGetsItForcedBack() throws Exception {
    ObjectNode gateway = Fixtures.load("default-gateway.yaml");
    ((ObjectNode) gateway.path("spec").path("gatewaySpec").path("listeners").get(1))
        .put("hostname", "*.example.com");
    JsonNode defaulted =
        patched(gateway, server.review(Endpoint.MUTATE_GATEWAY, "CREATE", gateway, null));
    assertEquals(
        "*.ofn.io",
        defaulted
            .path("spec")
            .path("gatewaySpec")
            .path("listeners")
            .get(1)
            .path("hostname")
            .asString());
  }

  @Test
  void invalidGatewayIsDeniedWithEveryFieldErrorInApiserverForm() throws Exception {
    ObjectNode gateway = Fixtures.load("default-gateway.yaml");
    ObjectNode spec = (ObjectNode) gateway.path("spec");
    spec.remove("domain");
    spec.remove("gatewayRef");
    spec.put("pathTemplate", "{{.Domain}}/{{.Name}}");
    JsonNode response = server.review(Endpoint.VALIDATE_GATEWAY, "CREATE", gateway, null);
    assertFalse(response.path("allowed").asBoolean());
    assertEquals(403, response.path("status").path("code").asInt());
    assertEquals("Invalid", response.path("status").path("reason").asString());
    assertEquals(
        "spec.domain: Required value: must specify domain\n"
            + "spec.gatewayRef: Required value: must specify at least one of gatewayRef and gatewayDef\n"
            + "spec.pathTemplate: Invalid value: \"{{.Domain}}/{{.Name}}\": invalid path template, please make sure that "
            + "only the {{Name}} and {{Namespace}} are included in the template",
        response.path("status").path("message").asString());
  }

  @Test
  void wrongTypesAreFieldErrorsNotCrashes() throws Exception {
    ObjectNode function = Fixtures.load("function-sample-serving-only.yaml", "default");
    ObjectNode http =
        (ObjectNode) function.path("spec").path("serving").path("triggers").path("http");
    http.put("port", "abc");
    ((ObjectNode) http.path("route")).put("hostnames", "x");
    JsonNode mutated = server.review(Endpoint.MUTATE_FUNCTION, "CREATE", function, null);
    assertTrue(mutated.path("allowed").asBoolean());
    JsonNode validated =
        server.review(Endpoint.VALIDATE_FUNCTION, "CREATE", patched(function, mutated), null);
    assertFalse(validated.path("allowed").asBoolean());
    assertEquals(403, validated.path("status").path("code").asInt());
    String message = validated.path("status").path("message").asString();
    assertTrue(
        message.contains("spec.serving.triggers.http.route.hostnames: Invalid value: \"x\""),
        message);
  }

  @Test
  void answersInTheRequestsReviewVersionOverHttp2AndEchoesTheUid() throws Exception {
    ObjectNode review =
        TestServer.reviewOf(
            "CREATE", Fixtures.load("function-sample-serving-only.yaml", "default"), null);
    review.put("apiVersion", "admission.k8s.io/v1beta1");
    ((ObjectNode) review.path("request")).put("uid", "the-uid");
    HttpResponse<String> response =
        server.post(
            Endpoint.VALIDATE_FUNCTION.path,
            "application/json",
            Json.MAPPER.writeValueAsBytes(review));
    JsonNode body = Json.MAPPER.readTree(response.body());
    assertEquals(200, response.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, response.version());
    assertEquals("admission.k8s.io/v1beta1", body.path("apiVersion").asString());
    assertEquals("the-uid", body.path("response").path("uid").asString());
    assertTrue(body.path("response").path("allowed").asBoolean());
  }

  @Test
  void badRequestsGetAPlainAnswer() throws Exception {
    String path = Endpoint.VALIDATE_FUNCTION.path;
    assertStatus(400, "malformed JSON", server.post(path, "application/json", "{oops".getBytes()));
    assertStatus(
        400,
        "not an AdmissionReview",
        server.post(path, "application/json", "{\"kind\":\"Pod\"}".getBytes()));
    assertStatus(
        400,
        "AdmissionReview request has no uid",
        server.post(
            path,
            "application/json",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}"
                .getBytes()));
    assertStatus(
        415, "unsupported content type", server.post(path, "text/yaml", "a: b".getBytes()));
    assertStatus(
        413,
        "request body over",
        server.post(
            path,
            "application/json",
            new byte[dev.ofn.webhook.server.AdmissionServer.MAX_BODY + 10]));
  }

  @Test
  void nullObjectIsDeniedByValidationAndAllowedWithAWarningByMutation() throws Exception {
    JsonNode function = Fixtures.load("function-sample-serving-only.yaml", "default");
    ObjectNode review = TestServer.reviewOf("CREATE", function, null);
    ((ObjectNode) review.path("request")).putNull("object");
    JsonNode validating = server.review(Endpoint.VALIDATE_FUNCTION, review);
    assertFalse(validating.path("allowed").asBoolean());
    JsonNode mutating = server.review(Endpoint.MUTATE_FUNCTION, review);
    assertTrue(mutating.path("allowed").asBoolean());
    assertEquals(1, mutating.path("warnings").size());
  }

  private static void assertStatus(int status, String messageStart, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.body().startsWith(messageStart), response.body());
  }

  static JsonNode offlineDefault(String file, String namespace) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(
          0, Main.run(new String[] {"default", "-f", file, "-n", namespace}, java.util.Map.of()));
    } finally {
      System.setOut(previous);
    }
    return Json.YAML.readTree(out.toString(StandardCharsets.UTF_8));
  }
}
