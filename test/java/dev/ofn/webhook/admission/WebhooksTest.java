package dev.ofn.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.routing.ConflictIndex;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The endpoint table's validating handlers on objects of the wrong kind. Found by
 * AdmissionFuzzTest: the conflict check threw "not a Function or HTTPRoute" on a damaged {@code
 * kind}/{@code apiVersion} (in the object or the oldObject), so the review was denied with code 500
 * instead of telling why.
 */
class WebhooksTest {
  private final ConflictIndex index = new ConflictIndex();
  private final Map<Endpoint, ReviewHandler> handlers =
      new Webhooks(StaticGatewayCatalog.builtIn(), index, new Webhooks.Settings(true, true))
          .handlers();

  private static AdmissionRequest request(
      String operation, JsonNode object, JsonNode old, boolean dryRun) {
    return new AdmissionRequest(
        "admission.k8s.io/v1",
        "uid",
        operation,
        "default",
        "n",
        "core.openfunction.io",
        "v1beta2",
        "Function",
        dryRun,
        object,
        old,
        null);
  }

  private static ObjectNode function() {
    return Fixtures.load("function-sample-serving-only.yaml", "default");
  }

  @Test
  void aFunctionWithoutItsKindIsDeniedAsInvalidNotAsAnInternalError() {
    ObjectNode function = function();
    function.remove("kind");
    AdmissionResponse response =
        handlers.get(Endpoint.VALIDATE_FUNCTION).review(request("CREATE", function, null, false));
    assertFalse(response.allowed());
    assertEquals(403, response.code());
    assertEquals("Invalid", response.reason());
    assertEquals("kind: Invalid value: null: must be Function", response.message());
  }

  @Test
  void aFunctionSentToTheHttpRouteEndpointIsDeniedAsInvalid() {
    ObjectNode function = function();
    function.put("apiVersion", "gateway.networking.k8s.io/v1");
    AdmissionResponse response =
        handlers.get(Endpoint.VALIDATE_HTTPROUTE).review(request("CREATE", function, null, false));
    assertEquals(403, response.code());
    assertEquals("kind: Invalid value: \"Function\": must be HTTPRoute", response.message());
    function.put("kind", "HTTPRoute").put("apiVersion", "v1");
    response =
        handlers.get(Endpoint.VALIDATE_HTTPROUTE).review(request("CREATE", function, null, false));
    assertEquals(
        "apiVersion: Invalid value: \"v1\": must be gateway.networking.k8s.io/<version>",
        response.message());
  }

  @Test
  void aGarbageOldObjectIsIgnoredByTheConflictCheck() {
    ObjectNode old = function();
    old.put("kind", 42);
    AdmissionResponse response =
        handlers.get(Endpoint.VALIDATE_FUNCTION).review(request("UPDATE", function(), old, false));
    assertTrue(response.allowed(), response.toString());
  }

  @Test
  void admittingRecordsTheKeysOnceAndADryRunRecordsNothing() {
    handlers.get(Endpoint.VALIDATE_FUNCTION).review(request("CREATE", function(), null, true));
    assertEquals(0, index.keyCount());
    assertTrue(
        handlers
            .get(Endpoint.VALIDATE_FUNCTION)
            .review(request("CREATE", function(), null, false))
            .allowed());
    assertTrue(index.keyCount() > 0);
  }

  /** fn-v1 of the e2e's traffic split with its rule's backendRefs replaced (YAML flow text). */
  private static ObjectNode split(String backendRefsYaml) {
    ObjectNode function =
        (ObjectNode)
            dev.ofn.webhook.json.Json.YAML.readTree(
                """
                apiVersion: core.openfunction.io/v1beta2
                kind: Function
                metadata: {name: fn-v1, namespace: default}
                spec:
                  image: openfunctiondev/v1beta1-http:latest
                  serving:
                    triggers:
                      http:
                        port: 8080
                        route:
                          gatewayRef: {name: openfunction, namespace: openfunction}
                """);
    ((ObjectNode) function.at("/spec/serving/triggers/http/route"))
        .putArray("rules")
        .addObject()
        .set("backendRefs", dev.ofn.webhook.json.Json.YAML.readTree(backendRefsYaml));
    return function;
  }

  private AdmissionResponse validate(ObjectNode function) {
    return handlers.get(Endpoint.VALIDATE_FUNCTION).review(request("CREATE", function, null, true));
  }

  @Test
  void aBackendNameNoFunctionCanHaveIsRefusedNotAwaited() {
    AdmissionResponse response =
        validate(
            split(
                "[{group: core.openfunction.io, kind: Function, name: ../etc},"
                    + " {group: core.openfunction.io, kind: Function, name: Bad_Name}]"));
    String format =
        ": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
            + " or '.', and must start and end with an alphanumeric character (e.g."
            + " 'example.com', regex used for validation is"
            + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    String at = "spec.serving.triggers.http.route.rules[0].backendRefs";
    assertEquals(
        at
            + "[0].name: Invalid value: \"../etc\""
            + format
            + "\n"
            + at
            + "[1].name: Invalid value: \"Bad_Name\""
            + format,
        response.message());
    assertEquals(java.util.List.of(), response.warnings());
  }

  @Test
  void aRuleWhoseWeightsAreAllZeroIsWarned() {
    AdmissionResponse response =
        validate(
            split(
                "[{group: core.openfunction.io, kind: Function, name: fn-v1, weight: 0},"
                    + " {group: core.openfunction.io, kind: Function, name: fn-v1b, weight: 0}]"));
    assertTrue(response.allowed(), response.message());
    assertEquals(
        java.util.List.of(
            "rules[0].backendRefs: every weight is 0, so no request this rule matches reaches a"
                + " Function",
            "rules[0].backendRefs[1]: Function default/fn-v1b does not exist yet; its weight is not"
                + " routed until it does"),
        response.warnings());
  }

  @Test
  void aGatewayWhoseHostTemplateCannotTellNamespacesApartIsWarned() {
    ObjectNode gateway = Fixtures.load("default-gateway.yaml");
    ((ObjectNode) gateway.get("spec")).put("hostTemplate", "{{.Name}}-{{.Namespace}}.{{.Domain}}");
    AdmissionResponse response =
        handlers
            .get(Endpoint.VALIDATE_GATEWAY)
            .review(
                new AdmissionRequest(
                    "admission.k8s.io/v1",
                    "uid",
                    "CREATE",
                    "openfunction",
                    "openfunction",
                    "networking.openfunction.io",
                    "v1alpha1",
                    "Gateway",
                    true,
                    gateway,
                    null,
                    null));
    assertTrue(response.allowed(), response.message());
    assertEquals(
        java.util.List.of(
            "spec.hostTemplate cannot tell namespaces apart: a-b-c.ofn.io is rendered for namespaces"
                + " b-c and c"),
        response.warnings());
  }
}
