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
}
