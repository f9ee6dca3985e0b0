package dev.ofn.webhook.routing;

import dev.ofn.webhook.json.Json;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The route parts of a Function's status (SPEC §8): {@code status.route.paths} and {@code
 * status.addresses}.
 */
public final class RouteStatus {
  /** The Function CRD's {@code status.route.paths} maxItems. */
  public static final int MAX_PATHS = 16;

  private RouteStatus() {}

  /**
   * Every rule's path matches in order, as {@code {type, value}} with the CRD defaults for absent
   * parts (a rule without matches matches {@code PathPrefix /}). Repeats are dropped and the list
   * is cut at the CRD's 16 items, so that a route with many matches still gets a status the
   * apiserver accepts.
   */
  public static ArrayNode paths(JsonNode rules) {
    Set<List<String>> seen = new LinkedHashSet<>();
    for (JsonNode rule : rules) {
      JsonNode matches = Json.at(rule, "matches");
      if (!matches.isArray() || matches.isEmpty()) {
        seen.add(List.of(Match.PATH_PREFIX, "/"));
        continue;
      }
      for (JsonNode match : matches) {
        seen.add(
            List.of(
                Json.stringOr(match, Match.PATH_PREFIX, "path", "type"),
                Json.stringOr(match, "/", "path", "value")));
      }
    }
    ArrayNode paths = Json.array();
    seen.stream()
        .limit(MAX_PATHS)
        .forEach(p -> paths.addObject().put("type", p.get(0)).put("value", p.get(1)));
    return paths;
  }

  /**
   * Every host × every path as {@code http://<host><path>}: {@code Internal} when the host is under
   * {@code .<clusterDomain>}, else {@code External}. {@code paths} is what {@link #paths} returns.
   */
  public static ArrayNode addresses(List<String> hostnames, JsonNode paths, String clusterDomain) {
    ArrayNode addresses = Json.array();
    for (String host : hostnames) {
      String type = host.endsWith("." + clusterDomain) ? "Internal" : "External";
      for (JsonNode path : paths) {
        addresses
            .addObject()
            .put("type", type)
            .put("value", "http://" + host + Json.stringOr(path, "/", "value"));
      }
    }
    return addresses;
  }
}
