package dev.ofn.webhook.gateways;

import dev.ofn.webhook.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A Gateway API listener as far as routing cares: {@code hostname} null means "any host"; {@code
 * allowedRoutes} is kept as the raw tree (absent = the Gateway API default: Same namespace).
 */
public record Listener(
    String name, String hostname, int port, String protocol, JsonNode allowedRoutes) {

  /** Reads a listener tree leniently: wrong types read as absent, so a bad object never throws. */
  public static Listener from(JsonNode node) {
    JsonNode port = Json.at(node, "port");
    return new Listener(
        Json.stringOr(node, "", "name"),
        Json.string(node, "hostname").filter(h -> !h.isEmpty()).orElse(null),
        port.canConvertToInt() ? port.asInt() : 0,
        Json.stringOr(node, "", "protocol"),
        Json.at(node, "allowedRoutes").isObject()
            ? Json.at(node, "allowedRoutes")
            : MissingNode.getInstance());
  }
}
