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
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  static final String REVISION = KSVC + "-00002";
  static final String V2 = "fn-v2";
  static final String V2_REVISION = "fn-v2-ksvc-00001";

  /** The happy path, changed by each row: Knative serving running with a ready revision. */
  static final class In {
    ObjectNode gatewayTree = GatewayDefaulter.apply(Fixtures.load("default-gateway.yaml"));
    ObjectNode function;
    boolean gatewayFound = true;
    String routeApiVersion = "gateway.networking.k8s.io/v1";
    JsonNode existingRoute;
    JsonNode existingService;
    String lostConflict;
    Map<String, JsonNode> functions = new HashMap<>();
    Map<NamespacedName, JsonNode> knative = new HashMap<>();
    Set<String> knativeNames = new HashSet<>(Set.of(KSVC));
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
          Optional.empty(),
          functions,
          knative,
          knativeNames,
          knativeServed);
    }

    /** The Function's rule sends {@code self} to itself and {@code other} to a running fn-v2. */
    In split(long self, long other) {
      Json.objectAt(function, "spec", "serving", "triggers", "http", "route")
          .set(
              "rules",
              list(
                  """
                  - backendRefs:
                      - {group: core.openfunction.io, kind: Function, name: %s, weight: %d}
                      - {group: core.openfunction.io, kind: Function, name: %s, weight: %d}
                  """
                      .formatted(FN, self, V2, other)));
      Json.objectAt(function, "metadata", "annotations")
          .put("networking.openfunction.io/generated-route", "hostnames");
      ObjectNode v2 = function.deepCopy();
      Json.objectAt(v2, "metadata").put("name", V2);
      ((ObjectNode) v2.get("spec").get("serving").get("triggers").get("http")).remove("route");
      Json.objectAt(v2, "status", "serving").put("service", "fn-v2-ksvc");
      functions.put(V2, v2);
      knative.put(
          new NamespacedName("default", "fn-v2-ksvc"),
          yaml("{status: {latestReadyRevisionName: %s}}".formatted(V2_REVISION)));
      knativeNames.add("fn-v2-ksvc");
      return this;
    }

    /** Our HTTPRoute as the decision would have written it, backed by {@code revision}. */
    JsonNode ours(String revision) {
      In earlier = new In();
      earlier.function = function.deepCopy();
      earlier.functions = new HashMap<>(functions);
      earlier.knative = new HashMap<>(knative);
      earlier.knative.put(
          new NamespacedName("default", KSVC),
          yaml("{status: {latestReadyRevisionName: %s}}".formatted(revision)));
      return FunctionRouteDecision.decide(earlier.inputs()).route();
    }
  }

  static JsonNode list(String yaml) {
    return Json.YAML.readTree(yaml);
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
    String accepted = "HTTPRoute default/" + FN + " routes the Function";
    return Stream.of(
        row(
            "a split routes each Function's ready revision with its weight",
            in -> in.split(90, 10),
            "Accepted",
            accepted + ": " + FN + " 90 (" + REVISION + "), fn-v2 10 (" + V2_REVISION + ")",
            REVISION + "," + V2_REVISION,
            true,
            Conflict.CLEAR),
        row(
            "a split whose other Function is gone sends everything to the ready one",
            in -> in.split(90, 10).functions.clear(),
            "SplitBackendNotReady",
            "Function default/fn-v2 not found; the ready backends take its weight: "
                + FN
                + " 90 ("
                + REVISION
                + ")",
            REVISION,
            true,
            Conflict.CLEAR),
        row(
            "a split to a Function without an http trigger",
            in ->
                ((ObjectNode) in.split(90, 10).functions.get(V2).get("spec").get("serving"))
                    .remove("triggers"),
            "SplitBackendNotReady",
            "Function default/fn-v2 has no http trigger; the ready backends take its weight: "
                + FN
                + " 90 ("
                + REVISION
                + ")",
            REVISION,
            true,
            Conflict.CLEAR),
        row(
            "a split Function whose new Knative Service is not ready keeps its routed revision",
            in -> {
              in.existingRoute = in.split(90, 10).ours(REVISION);
              Json.objectAt((ObjectNode) in.functions.get(V2), "status", "serving")
                  .put("service", "fn-v2-ksvc-b");
            },
            "Accepted",
            accepted + ": " + FN + " 90 (" + REVISION + "), fn-v2 10 (" + V2_REVISION + ")",
            REVISION + "," + V2_REVISION,
            true,
            Conflict.CLEAR),
        row(
            "a split Function's routed revision is gone: never routed to again",
            in -> {
              in.existingRoute = in.split(90, 10).ours(REVISION);
              Json.objectAt((ObjectNode) in.functions.get(V2), "status", "serving")
                  .put("service", "fn-v2-ksvc-b");
              in.knativeNames.remove("fn-v2-ksvc");
            },
            "SplitBackendNotReady",
            "Function default/fn-v2: Knative Service default/fn-v2-ksvc-b not found; the ready"
                + " backends take its weight: "
                + FN
                + " 90 ("
                + REVISION
                + ")",
            REVISION,
            true,
            Conflict.CLEAR),
        row(
            "a split with every weight on the other Function",
            in -> in.split(0, 100),
            "Accepted",
            accepted + ": " + FN + " 0 (" + REVISION + "), fn-v2 100 (" + V2_REVISION + ")",
            REVISION + "," + V2_REVISION,
            true,
            Conflict.CLEAR),
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
              in.existingRoute = in.ours(KSVC + "-00001");
              Json.objectAt(in.function, "status", "serving").put("state", "Pending");
            },
            "Accepted",
            "HTTPRoute default/" + FN + " routes the Function",
            KSVC + "-00001",
            true,
            Conflict.CLEAR),
        row(
            "a new Knative Service without a ready revision: the routed one stays",
            in -> {
              in.existingRoute = in.ours(KSVC + "-00001");
              Json.objectAt(in.function, "status", "serving").put("service", "ksvc-b");
            },
            "Accepted",
            "HTTPRoute default/" + FN + " routes the Function",
            KSVC + "-00001",
            true,
            Conflict.CLEAR),
        row(
            "the routed revision's Knative Service is gone: the route sends nowhere",
            in -> {
              in.existingRoute = in.ours(KSVC + "-00001");
              Json.objectAt(in.function, "status", "serving").put("service", "ksvc-b");
              in.knativeNames.remove(KSVC);
            },
            "BackendNotReady",
            "Knative Service default/ksvc-b not found",
            "",
            true,
            Conflict.CLEAR),
        row(
            "a newer ready revision replaces our route's",
            in -> in.existingRoute = in.ours(KSVC + "-00001"),
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
            : String.join(
                ",",
                decision
                    .route()
                    .path("spec")
                    .path("rules")
                    .path(0)
                    .path("backendRefs")
                    .valueStream()
                    .map(b -> b.path("name").asString())
                    .toList()));
    assertEquals(serviceWritten, decision.service() != null);
    assertEquals(conflict, decision.conflict());
  }

  @Test
  void aSplitRuleGetsWeightedBackendsEachWithItsOwnHost() {
    In in = new In().split(90, 10);
    ObjectNode rule =
        (ObjectNode)
            in.function
                .get("spec")
                .get("serving")
                .get("triggers")
                .get("http")
                .get("route")
                .get("rules")
                .get(0);
    // the user's rule-level modifier keeps its other headers, and loses its Host to the backends
    rule.set(
        "filters",
        list(
            """
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: Host, value: mine}, {name: X-Canary, value: "on"}]
            """));
    ((ObjectNode) rule.get("backendRefs").get(1))
        .set(
            "filters",
            list(
                """
                - type: RequestHeaderModifier
                  requestHeaderModifier: {add: [{name: X-Version, value: v2}]}
                """));
    Decision decision = FunctionRouteDecision.decide(in.inputs());
    assertEquals(
        list(
            """
            - filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: X-Canary, value: "on"}]
              backendRefs:
                - group: ""
                  kind: Service
                  name: %s
                  namespace: default
                  port: 80
                  weight: 90
                  filters:
                    - type: RequestHeaderModifier
                      requestHeaderModifier:
                        set: [{name: Host, value: %s.default.svc.cluster.local}]
                - group: ""
                  kind: Service
                  name: %s
                  namespace: default
                  port: 80
                  weight: 10
                  filters:
                    - type: RequestHeaderModifier
                      requestHeaderModifier:
                        add: [{name: X-Version, value: v2}]
                        set: [{name: Host, value: %s.default.svc.cluster.local}]
            """
                .formatted(REVISION, REVISION, V2_REVISION, V2_REVISION)),
        decision.route().path("spec").path("rules"));
    assertEquals(
        FN + "=" + REVISION + ",fn-v2=" + V2_REVISION,
        decision
            .route()
            .path("metadata")
            .path("annotations")
            .path(FunctionRouteDecision.BACKENDS_ANNOTATION)
            .asString());
  }

  @Test
  void aSplitToAKedaFunctionGoesThroughTheInterceptorWithThatFunctionsHost() {
    In in = new In().split(50, 50);
    Json.objectAt((ObjectNode) in.functions.get(V2), "spec", "serving", "triggers", "http")
        .put("engine", "keda");
    Decision decision = FunctionRouteDecision.decide(in.inputs());
    JsonNode v2 = decision.route().path("spec").path("rules").path(0).path("backendRefs").path(1);
    assertEquals(Backend.KEDA_INTERCEPTOR, v2.path("name").asString());
    assertEquals(8080, v2.path("port").asInt());
    assertEquals(
        "fn-v2.default.ofn.io",
        v2.path("filters")
            .path(0)
            .path("requestHeaderModifier")
            .path("set")
            .path(0)
            .path("value")
            .asString());
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
            base.hostnameNotOwned(),
            base.functions(),
            base.knativeServices(),
            base.knativeServiceNames(),
            base.knativeServed());
    Decision decision = FunctionRouteDecision.decide(noRef);
    assertEquals("the route's gatewayRef lacks a name or namespace", decision.verdict().message());
    assertNull(decision.clusterDomain());
  }
}
