package dev.ofn.webhook.controller;

import dev.ofn.webhook.controller.FunctionStatus.Reason;
import dev.ofn.webhook.controller.FunctionStatus.Verdict;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.routing.Backend;
import dev.ofn.webhook.routing.HttpRoutes;
import dev.ofn.webhook.routing.RouteDerivation;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a Function's route should be, decided from inputs gathered beforehand: the verdict for
 * {@code RouteReady}, the HTTPRoute and Service to apply, the {@code rendered-from} touch. Pure
 * (records in, record out): {@link FunctionReconciler} gathers, this decides, {@link Owned#apply}
 * writes.
 */
final class FunctionRouteDecision {
  static final String RUNNING = "Running";

  private FunctionRouteDecision() {}

  /**
   * Everything the decision reads, for a Function that has an http trigger. {@code routeApiVersion}
   * is null when the cluster serves no HTTPRoutes; {@code lostConflict} says why an older route
   * holds one of the Function's keys; {@code knativeServices} holds the Knative Services the
   * Function's status names (absent: not found), {@code knativeServed} whether the cluster serves
   * them at all.
   */
  record Inputs(
      JsonNode function,
      Optional<NamespacedName> gatewayId,
      Optional<OfnGateway> gateway,
      String routeApiVersion,
      Optional<JsonNode> existingRoute,
      Optional<JsonNode> existingService,
      Optional<String> lostConflict,
      Map<NamespacedName, JsonNode> knativeServices,
      boolean knativeServed) {}

  /** Whether the Function lost a conflict: LOST and CLEAR update the reconciler's set. */
  enum Conflict {
    LOST,
    CLEAR,
    UNCHECKED
  }

  /**
   * The outcome. {@code route}: the stamped HTTPRoute to apply, null to leave the stored one as it
   * is; {@code keptRoute}: our stored HTTPRoute (the one the status reports when nothing is
   * applied), null when there is none of ours; {@code service}: the stamped Service to apply, null
   * when none is to be written; {@code clusterDomain}: for the status addresses (null without a
   * gateway).
   */
  record Decision(
      Verdict verdict,
      ObjectNode route,
      JsonNode keptRoute,
      ObjectNode service,
      Optional<String> renderedFrom,
      Conflict conflict,
      String clusterDomain) {}

  /** The backend, or why there is none. */
  record BackendChoice(Backend backend, String why) {}

  static Decision decide(Inputs in) {
    JsonNode function = in.function();
    if (in.gateway().isEmpty()) {
      // Not an error to retry: the Gateway's arrival enqueues its Functions again.
      String why =
          in.gatewayId()
              .map(g -> "OFN Gateway " + g + " not found")
              .orElse("the route's gatewayRef lacks a name or namespace");
      return new Decision(
          new Verdict(Reason.GatewayNotFound, why),
          null,
          null,
          null,
          Optional.empty(),
          Conflict.UNCHECKED,
          null);
    }
    OfnGateway gateway = in.gateway().get();
    NamespacedName id = idOf(function);
    RouteDerivation.Derived derived = RouteDerivation.derive(function, gateway).orElseThrow();
    Optional<JsonNode> existing = in.existingRoute();
    boolean ours =
        existing.isPresent() && Owned.isOurs(existing.get(), Names.FUNCTION_KIND, id.name());
    JsonNode kept = ours ? existing.get() : null;
    ObjectNode route = null;
    Conflict conflict = Conflict.UNCHECKED;
    Verdict verdict;
    if (in.routeApiVersion() == null) {
      verdict = new Verdict(Reason.GatewayNotFound, "the cluster serves no Gateway API HTTPRoutes");
    } else if (!derived.ok()) {
      verdict = new Verdict(Reason.GatewayTemplateInvalid, derived.problem());
    } else if (existing.isPresent() && !ours) {
      verdict = new Verdict(Reason.HTTPRouteNameTaken, notOurs("HTTPRoute", id));
    } else if (in.lostConflict().isPresent()) {
      conflict = Conflict.LOST;
      verdict = new Verdict(Reason.RouteConflict, in.lostConflict().get());
    } else {
      conflict = Conflict.CLEAR;
      BackendChoice backend = backend(in, kept);
      if (backend.backend() == null) {
        verdict = new Verdict(Reason.BackendNotReady, backend.why());
      } else {
        route =
            Owned.stamp(
                HttpRoutes.httpRoute(function, gateway, backend.backend(), in.routeApiVersion()));
        verdict = new Verdict(Reason.Accepted, "HTTPRoute " + id + " routes the Function");
      }
    }
    ObjectNode service = Owned.stamp(ExternalNameServices.forFunction(function, gateway));
    if (in.existingService().isPresent() && !Owned.isOurs(in.existingService().get(), service)) {
      service = null;
      if (verdict.ready()) {
        verdict = new Verdict(Reason.ServiceNameTaken, notOurs("Service", id));
      }
    }
    return new Decision(
        verdict,
        route,
        kept,
        service,
        RenderedFrom.wanted(function, gateway),
        conflict,
        gateway.clusterDomain());
  }

  /**
   * The Function's backend, or why there is none. A Function whose serving restarts keeps its
   * current route's backend ({@code kept}).
   */
  static BackendChoice backend(Inputs in, JsonNode kept) {
    JsonNode function = in.function();
    String namespace = idOf(function).namespace();
    String why;
    if (!RUNNING.equals(Json.stringOr(function, "", "status", "serving", "state"))) {
      why = "the Function's serving is not running";
    } else if ("keda"
        .equalsIgnoreCase(
            Json.stringOr(function, "", "spec", "serving", "triggers", "http", "engine"))) {
      return new BackendChoice(Backend.keda(), null);
    } else {
      String ksvc = Json.stringOr(function, "", "status", "serving", "service");
      JsonNode service = in.knativeServices().get(new NamespacedName(namespace, ksvc));
      String revision =
          service == null ? "" : Json.stringOr(service, "", "status", "latestReadyRevisionName");
      if (!revision.isEmpty()) {
        return new BackendChoice(Backend.knative(revision), null);
      }
      if (ksvc.isEmpty()) {
        why = "the Function's status names no Knative Service yet";
      } else if (!in.knativeServed()) {
        why = "the cluster serves no Knative Services (serving.knative.dev/v1)";
      } else if (service == null) {
        why = "Knative Service " + namespace + "/" + ksvc + " not found";
      } else {
        why = "Knative Service " + namespace + "/" + ksvc + " has no ready revision";
      }
    }
    return kept == null ? new BackendChoice(null, why) : new BackendChoice(backendOf(kept), null);
  }

  /** The Knative Service a Function's status names, if any. */
  static Optional<NamespacedName> knativeServiceOf(JsonNode function) {
    String ksvc = Json.stringOr(function, "", "status", "serving", "service");
    return ksvc.isEmpty()
        ? Optional.empty()
        : Optional.of(new NamespacedName(idOf(function).namespace(), ksvc));
  }

  private static Backend backendOf(JsonNode route) {
    String name =
        Json.stringOr(
            Json.at(route, "spec", "rules").path(0).path("backendRefs").path(0), "", "name");
    return Backend.KEDA_INTERCEPTOR.equals(name) ? Backend.keda() : Backend.knative(name);
  }

  private static String notOurs(String kind, NamespacedName id) {
    return kind
        + " "
        + id
        + " exists and is not ours (it lacks the "
        + HttpRoutes.CREATED_BY_LABEL
        + ": "
        + HttpRoutes.CREATED_BY
        + " label or has another controller)";
  }

  static NamespacedName idOf(JsonNode object) {
    return new NamespacedName(
        Json.stringOr(object, "default", "metadata", "namespace"),
        Json.stringOr(object, "", "metadata", "name"));
  }
}
