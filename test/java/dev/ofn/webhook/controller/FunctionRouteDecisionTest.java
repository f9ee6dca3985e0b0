package dev.ofn.webhook.controller;

import static dev.ofn.webhook.controller.MockCluster.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.controller.FunctionRouteDecision.Conflict;
import dev.ofn.webhook.controller.FunctionRouteDecision.Decision;
import dev.ofn.webhook.controller.FunctionRouteDecision.Inputs;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.Backend;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The controller's decision for a Function's route, as a table: inputs as the caches would hold
 * them, out come the RouteReady reason and message, the backend the HTTPRoute to apply sends to
 * (none: nothing applied), whether the Service is written, the conflict bookkeeping and the
 * rendered-from touch. No API server involved.
 */
class FunctionRouteDecisionTest {
  static final String FN = "function-sample-serving-only";
  static final String KSVC = FN + "-ksvc";
  static final String REVISION = FN + "-00002";

  /** The happy path, changed by each row: Knative serving running with a ready revision. */
  static final class In {
    ObjectNode gatewayTree = GatewayDefaulter.apply(Fixtures.load("default-gateway.yaml"));
    ObjectNode function;
    boolean gatewayFound = true;
    String routeApiVersion = "gateway.networking.k8s.io/v1";
    JsonNode existingRoute;
    JsonNode existingService;
    String lostConflict;
    Map<NamespacedName, JsonNode> knative = new HashMap<>();
    boolean knativeServed = true;

    In() {
      function =
          (ObjectNode)
              FunctionDefaulter.apply(
                      Fixtures.load(FN + ".yaml", "default"),
                      FunctionContext.create("default", OfnGateway.from(gatewayTree)))
                  .object();
      Json.objectAt(function, "metadata").put("uid", "uid-1").put("generation", 1);
      Json.objectAt(function, "status", "serving").put("state", "Running").put("service", KSVC);
      knative.put(
          new NamespacedName("default", KSVC),
          yaml("{status: {latestReadyRevisionName: %s}}".formatted(REVISION)));
    }

    Inputs inputs() {
      OfnGateway gateway = OfnGateway.from(gatewayTree);
      return new Inputs(
          function,
          Optional.of(gateway.id()),
          gatewayFound ? Optional.of(gateway) : Optional.empty(),
          routeApiVersion,
          Optional.ofNullable(existingRoute),
          Optional.ofNullable(existingService),
          Optional.ofNullable(lostConflict),
          knative,
          knativeServed);
    }

    /** Our HTTPRoute as the decision would have written it, backed by {@code revision}. */
    JsonNode ours(String revision) {
      In earlier = new In();
      earlier.knative.put(
          new NamespacedName("default", KSVC),
          yaml("{status: {latestReadyRevisionName: %s}}".formatted(revision)));
      return FunctionRouteDecision.decide(earlier.inputs()).route();
    }
  }

  static Arguments row(
      String name,
      Consumer<In> change,
      String reason,
      String message,
      String backend,
      boolean serviceWritten,
      Conflict conflict) {
    return Arguments.of(name, change, reason, message, backend, serviceWritten, conflict);
  }

  static Stream<Arguments> table() {
    String notOurs =
        " exists and is not ours (it lacks the app.kubernetes.io/created-by: ofn-webhook label or"
            + " has another controller)";
    return Stream.of(
        row(
            "a ready Knative revision is routed",
            in -> {},
            "Accepted",
            "HTTPRoute default/" + FN + " routes the Function",
            REVISION,
            true,
            Conflict.CLEAR),
        row(
            "the KEDA engine is routed through the interceptor",
            in ->
                Json.objectAt(in.function, "spec", "serving", "triggers", "http")
                    .put("engine", "keda"),
            "Accepted",
            "HTTPRoute default/" + FN + " routes the Function",
            Backend.KEDA_INTERCEPTOR,
            true,
            Conflict.CLEAR),
        row(
            "no OFN Gateway: nothing written",
            in -> in.gatewayFound = false,
            "GatewayNotFound",
            "OFN Gateway openfunction/openfunction not found",
            null,
            false,
            Conflict.UNCHECKED),
        row(
            "no HTTPRoute API: the Service is still written",
            in -> in.routeApiVersion = null,
            "GatewayNotFound",
            "the cluster serves no Gateway API HTTPRoutes",
            null,
            true,
            Conflict.UNCHECKED),
        row(
            "an HTTPRoute of that name without our label",
            in ->
                in.existingRoute = yaml("{metadata: {name: %s, namespace: default}}".formatted(FN)),
            "HTTPRouteNameTaken",
            "HTTPRoute default/" + FN + notOurs,
            null,
            true,
            Conflict.UNCHECKED),
        row(
            "an older route holds a key",
            in -> in.lostConflict = "host x is already routed by default/old, which is older",
            "RouteConflict",
            "host x is already routed by default/old, which is older",
            null,
            true,
            Conflict.LOST),
        row(
            "serving not running and no route yet",
            in -> Json.objectAt(in.function, "status", "serving").put("state", "Pending"),
            "BackendNotReady",
            "the Function's serving is not running",
            null,
            true,
            Conflict.CLEAR),
        row(
            "serving restarting keeps our route's backend",
            in -> {
              in.existingRoute = in.ours(FN + "-00001");
              Json.objectAt(in.function, "status", "serving").put("state", "Pending");
            },
            "Accepted",
            "HTTPRoute default/" + FN + " routes the Function",
            FN + "-00001",
            true,
            Conflict.CLEAR),
        row(
            "a newer ready revision replaces our route's",
            in -> in.existingRoute = in.ours(FN + "-00001"),
            "Accepted",
            "HTTPRoute default/" + FN + " routes the Function",
            REVISION,
            true,
            Conflict.CLEAR),
        row(
            "the status names no Knative Service",
            in -> ((ObjectNode) in.function.get("status").get("serving")).remove("service"),
            "BackendNotReady",
            "the Function's status names no Knative Service yet",
            null,
            true,
            Conflict.CLEAR),
        row(
            "the cluster serves no Knative Services",
            in -> {
              in.knativeServed = false;
              in.knative.clear();
            },
            "BackendNotReady",
            "the cluster serves no Knative Services (serving.knative.dev/v1)",
            null,
            true,
            Conflict.CLEAR),
        row(
            "the Knative Service is not found",
            in -> in.knative.clear(),
            "BackendNotReady",
            "Knative Service default/" + KSVC + " not found",
            null,
            true,
            Conflict.CLEAR),
        row(
            "the Knative Service has no ready revision",
            in -> in.knative.put(new NamespacedName("default", KSVC), yaml("{status: {}}")),
            "BackendNotReady",
            "Knative Service default/" + KSVC + " has no ready revision",
            null,
            true,
            Conflict.CLEAR),
        row(
            "a Service of that name is someone else's: route written, Service not",
            in ->
                in.existingService =
                    yaml("{metadata: {name: %s, namespace: default}}".formatted(FN)),
            "ServiceNameTaken",
            "Service default/" + FN + notOurs,
            REVISION,
            false,
            Conflict.CLEAR),
        row(
            "a gateway path template that cannot be rendered",
            in -> {
              Json.objectAt(in.gatewayTree, "spec").put("pathTemplate", "{{.Nope}}");
              Json.objectAt(in.function, "spec", "serving", "triggers", "http", "route")
                  .putArray("hostnames")
                  .add("fn.example.com");
              Json.objectAt(in.function, "metadata", "annotations")
                  .put("networking.openfunction.io/generated-route", "rules");
            },
            "GatewayTemplateInvalid",
            "gateway openfunction/openfunction has an unusable pathTemplate: route rules not"
                + " generated",
            null,
            true,
            Conflict.UNCHECKED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String name,
      Consumer<In> change,
      String reason,
      String message,
      String backend,
      boolean serviceWritten,
      Conflict conflict) {
    In in = new In();
    change.accept(in);
    Decision decision = FunctionRouteDecision.decide(in.inputs());
    assertEquals(reason, decision.verdict().reason().name());
    assertEquals(message, decision.verdict().message());
    assertEquals(
        backend,
        decision.route() == null
            ? null
            : decision
                .route()
                .path("spec")
                .path("rules")
                .path(0)
                .path("backendRefs")
                .path(0)
                .path("name")
                .asString());
    assertEquals(serviceWritten, decision.service() != null);
    assertEquals(conflict, decision.conflict());
  }

  @Test
  void aGatewayWhoseTemplatesMovedOnTouchesTheFunctionOnce() {
    In in = new In();
    Json.objectAt(in.gatewayTree, "spec").put("domain", "example.org");
    Json.objectAt(in.gatewayTree, "metadata").put("generation", 4);
    Decision decision = FunctionRouteDecision.decide(in.inputs());
    assertEquals(Optional.of("openfunction/openfunction@4"), decision.renderedFrom());

    Json.objectAt(in.function, "metadata", "annotations")
        .put(RenderedFrom.ANNOTATION, "openfunction/openfunction@4");
    assertEquals(Optional.empty(), FunctionRouteDecision.decide(in.inputs()).renderedFrom());
  }

  @Test
  void withoutAGatewayRefNameTheReasonSaysSo() {
    In in = new In();
    in.gatewayFound = false;
    Inputs base = in.inputs();
    Inputs noRef =
        new Inputs(
            base.function(),
            Optional.empty(),
            Optional.empty(),
            base.routeApiVersion(),
            base.existingRoute(),
            base.existingService(),
            base.lostConflict(),
            base.knativeServices(),
            base.knativeServed());
    Decision decision = FunctionRouteDecision.decide(noRef);
    assertEquals("the route's gatewayRef lacks a name or namespace", decision.verdict().message());
    assertNull(decision.clusterDomain());
  }
}
