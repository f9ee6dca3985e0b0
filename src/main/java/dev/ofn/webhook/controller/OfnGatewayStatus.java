package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OFN Gateway's status (docs/behaviour.md §8, parity): conditions, our listeners' status and
 * addresses copied from the k8s Gateway; {@code Ready=False, NotFound} when it is missing. Pure.
 */
final class OfnGatewayStatus {
  static final String READY = "Ready";
  static final String NOT_FOUND = "NotFound";

  private OfnGatewayStatus() {}

  /** The mirrored status; {@code k8sGateway} null when it does not exist. */
  static ObjectNode desired(
      OfnGateway gateway, JsonNode k8sGateway, JsonNode previous, Instant now) {
    ObjectNode status = Json.object();
    if (k8sGateway == null) {
      JsonNode old = null;
      for (JsonNode condition : Json.at(previous, "conditions")) {
        if (READY.equals(Json.stringOr(condition, "", "type"))) {
          old = condition;
        }
      }
      String since =
          old != null && "False".equals(Json.stringOr(old, "", "status"))
              ? Json.stringOr(
                  old, now.truncatedTo(ChronoUnit.SECONDS).toString(), "lastTransitionTime")
              : now.truncatedTo(ChronoUnit.SECONDS).toString();
      status
          .putArray("conditions")
          .addObject()
          .put("type", READY)
          .put("status", "False")
          .put("reason", NOT_FOUND)
          .put("message", "k8s Gateway " + gateway.k8sGateway() + " not found")
          .put("lastTransitionTime", since)
          .put("observedGeneration", gateway.generation());
      return status;
    }
    JsonNode source = Json.at(k8sGateway, "status");
    copy(source, status, "conditions");
    Set<String> ours = gateway.listeners().stream().map(Listener::name).collect(Collectors.toSet());
    ArrayNode listeners = Json.array();
    for (JsonNode listener : Json.at(source, "listeners")) {
      if (ours.contains(Json.stringOr(listener, "", "name"))) {
        listeners.add(listener.deepCopy());
      }
    }
    if (!listeners.isEmpty()) {
      status.set("listeners", listeners);
    }
    copy(source, status, "addresses");
    return status;
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    JsonNode value = Json.at(from, field);
    if (value.isArray() && !value.isEmpty()) {
      to.set(field, value.deepCopy());
    }
  }
}
