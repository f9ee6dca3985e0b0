package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.RouteStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Function's {@code status.route} and {@code status.addresses} (docs/behaviour.md §8); pure.
 *
 * <p>{@code route.conditions} is a list-map keyed by type with at most 8 items: our {@code
 * RouteReady} first, then the HTTPRoute's parent conditions merged by type over every parent (the
 * least healthy status wins: False, then Unknown, then True), so no two entries share a type.
 */
final class FunctionStatus {
  static final String ROUTE_READY = "RouteReady";
  static final int MAX_CONDITIONS = 8;

  /** The Function CRD's maxLength of an address value. */
  static final int MAX_ADDRESS = 253;

  /** Reasons of {@code RouteReady} (docs/behaviour.md §8). */
  enum Reason {
    Accepted,
    GatewayNotFound,
    // the OFN Gateway has a template the route cannot be rendered from (stored before our webhook)
    GatewayTemplateInvalid,
    BackendNotReady,
    // a Function a rule splits traffic to has no backend: the rule sends to the ready ones only
    SplitBackendNotReady,
    RouteConflict,
    HTTPRouteNameTaken,
    ServiceNameTaken,
    // namespace hostname ownership: an older claim of another namespace owns one of its hostnames
    HostnameNotOwned
  }

  /** The RouteReady condition's reason and message: True only with {@link Reason#Accepted}. */
  record RouteReadiness(Reason reason, String message) {
    boolean ready() {
      return reason == Reason.Accepted;
    }
  }

  private FunctionStatus() {}

  /**
   * The {@code status.route} and {@code status.addresses} the Function should have. {@code route}
   * is the HTTPRoute that serves it (what we wrote, or ours as stored), null when there is none:
   * then only the condition is reported. {@code previous} is the Function's current status (for
   * lastTransitionTime). {@code listeners}: those of the route's k8s Gateway; a host an HTTPS
   * listener serves gets an {@code https://} address (and an {@code http://} one too when an HTTP
   * listener also does).
   */
  static ObjectNode desired(
      RouteReadiness verdict,
      JsonNode previous,
      long generation,
      Instant now,
      JsonNode route,
      String clusterDomain,
      List<Listener> listeners) {
    ObjectNode status = Json.object();
    ObjectNode routeStatus = status.putObject("route");
    ArrayNode conditions = Json.array();
    conditions.add(routeReady(verdict, previous, generation, now));
    if (route != null) {
      ArrayNode hosts = routeStatus.putArray("hosts");
      Json.at(route, "spec", "hostnames").forEach(hosts::add);
      ArrayNode paths = RouteStatus.paths(Json.at(route, "spec", "rules"));
      routeStatus.set("paths", paths);
      parentConditions(Json.at(route, "status")).values().stream()
          .limit(MAX_CONDITIONS - 1)
          .forEach(conditions::add);
      java.util.List<String> hostnames = new java.util.ArrayList<>();
      hosts.forEach(h -> hostnames.add(h.stringValue()));
      ArrayNode addresses = Json.array();
      JsonNode parentRefs = Json.at(route, "spec", "parentRefs");
      RouteStatus.addresses(
              hostnames,
              paths,
              clusterDomain,
              host -> RouteStatus.schemes(host, listeners, parentRefs))
          .forEach(
              a -> {
                if (Json.stringOr(a, "", "value").length() <= MAX_ADDRESS) {
                  addresses.add(a);
                }
              });
      status.set("addresses", addresses);
    }
    routeStatus.set("conditions", conditions);
    return status;
  }

  /** Our condition; lastTransitionTime moves only when the status (True/False) does. */
  static ObjectNode routeReady(
      RouteReadiness verdict, JsonNode previous, long generation, Instant now) {
    String status = verdict.ready() ? "True" : "False";
    JsonNode old = condition(previous, ROUTE_READY);
    String since =
        old != null && status.equals(Json.stringOr(old, "", "status"))
            ? Json.stringOr(
                old, now.truncatedTo(ChronoUnit.SECONDS).toString(), "lastTransitionTime")
            : now.truncatedTo(ChronoUnit.SECONDS).toString();
    return Json.object()
        .put("type", ROUTE_READY)
        .put("status", status)
        .put("reason", verdict.reason().name())
        .put("message", verdict.message())
        .put("lastTransitionTime", since)
        .put("observedGeneration", generation);
  }

  /** The reason of the Function's current RouteReady condition, or null. */
  static String currentReason(JsonNode status) {
    JsonNode condition = condition(status, ROUTE_READY);
    return condition == null ? null : Json.stringOr(condition, null, "reason");
  }

  private static JsonNode condition(JsonNode status, String type) {
    for (JsonNode condition : Json.at(status, "route", "conditions")) {
      if (type.equals(Json.stringOr(condition, "", "type"))) {
        return condition;
      }
    }
    return null;
  }

  /**
   * The HTTPRoute's conditions over all parents, one per type, the least healthy status winning.
   */
  static Map<String, JsonNode> parentConditions(JsonNode routeStatus) {
    Map<String, JsonNode> merged = new LinkedHashMap<>();
    for (JsonNode parent : Json.at(routeStatus, "parents")) {
      for (JsonNode condition : Json.at(parent, "conditions")) {
        String type = Json.stringOr(condition, "", "type");
        if (type.isEmpty() || type.equals(ROUTE_READY)) {
          continue;
        }
        JsonNode kept = merged.get(type);
        if (kept == null || rank(condition) < rank(kept)) {
          merged.put(type, condition.deepCopy());
        }
      }
    }
    return merged;
  }

  private static int rank(JsonNode condition) {
    return switch (Json.stringOr(condition, "", "status")) {
      case "False" -> 0;
      case "Unknown" -> 1;
      default -> 2;
    };
  }
}
