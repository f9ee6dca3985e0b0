package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionRoute;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * When a Function's stored generated route fields (docs/behaviour.md §4.6) no longer match its OFN
 * Gateway's domain or templates, the controller touches the Function with {@value #ANNOTATION} so
 * that the UPDATE passes our mutating webhook, which re-renders them (docs/behaviour.md §9). The
 * controller never writes those fields. Pure.
 *
 * <p>Decided from state, not from gateway events: a Function is stale when a listed field differs
 * from its fresh rendering. The annotation names the gateway generation, so each generation touches
 * a Function at most once, even when no webhook re-renders it (no write loop).
 */
final class RenderedFrom {
  static final String ANNOTATION = "networking.openfunction.io/rendered-from";

  private RenderedFrom() {}

  /** The annotation value to set, or empty when the Function is current or was already touched. */
  static Optional<String> wanted(JsonNode function, OfnGateway gateway) {
    Set<String> fields = FunctionRoute.generatedFields(function);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    String name = Json.stringOr(function, "", "metadata", "name");
    String namespace = Json.stringOr(function, "default", "metadata", "namespace");
    JsonNode route = FunctionRoute.route(function);
    boolean hostnames = fields.contains(FunctionRoute.HOSTNAMES);
    boolean stale =
        hostnames
                && differs(
                    route.path(FunctionRoute.HOSTNAMES),
                    FunctionRoute.hostnames(gateway, name, namespace))
            || fields.contains(FunctionRoute.RULES)
                && differs(
                    route.path(FunctionRoute.RULES),
                    FunctionRoute.rules(gateway, name, namespace, hostnames));
    String value = gateway.id() + "@" + gateway.generation();
    if (!stale
        || value.equals(Json.stringOr(function, "", "metadata", "annotations", ANNOTATION))) {
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private static boolean differs(JsonNode stored, FunctionRoute.Rendering fresh) {
    return fresh.ok() && !Drift.same(stored, fresh.value());
  }
}
