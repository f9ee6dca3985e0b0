package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.json.Json;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The route parts of a Function's status (docs/behaviour.md §8): {@code status.route.paths} and
 * {@code status.addresses}.
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
    return addresses(hostnames, paths, clusterDomain, host -> List.of(HTTP));
  }

  public static final String HTTP = "http";
  public static final String HTTPS = "https";

  /**
   * Like {@link #addresses(List, JsonNode, String)}, each host with the schemes {@code schemes}
   * gives it ({@code http}, {@code https} or both, in that order).
   */
  public static ArrayNode addresses(
      List<String> hostnames,
      JsonNode paths,
      String clusterDomain,
      java.util.function.Function<String, List<String>> schemes) {
    ArrayNode addresses = Json.array();
    for (String host : hostnames) {
      String type = host.endsWith("." + clusterDomain) ? "Internal" : "External";
      for (String scheme : schemes.apply(host)) {
        for (JsonNode path : paths) {
          addresses
              .addObject()
              .put("type", type)
              .put("value", scheme + "://" + host + Json.stringOr(path, "/", "value"));
        }
      }
    }
    return addresses;
  }

  /**
   * The schemes a hostname is served with: {@code https} when an HTTPS listener the route attaches
   * to ({@code parentRefs} by sectionName; a ref without one attaches to every listener) serves the
   * host, {@code http} when an HTTP one does; {@code http} alone when none is known to.
   */
  public static List<String> schemes(String host, List<Listener> listeners, JsonNode parentRefs) {
    boolean http = false;
    boolean https = false;
    for (Listener listener : listeners) {
      if (!attached(listener, parentRefs)
          || Hostnames.intersect(listener.hostname(), host) == null) {
        continue;
      }
      if ("HTTPS".equals(listener.protocol())) {
        https = true;
      } else if ("HTTP".equals(listener.protocol())) {
        http = true;
      }
    }
    if (https && http) {
      return List.of(HTTP, HTTPS);
    }
    return https ? List.of(HTTPS) : List.of(HTTP);
  }

  private static boolean attached(Listener listener, JsonNode parentRefs) {
    if (!parentRefs.isArray() || parentRefs.isEmpty()) {
      return true;
    }
    for (JsonNode ref : parentRefs) {
      String section = Json.stringOr(ref, "", "sectionName");
      if (section.isEmpty() || section.equals(listener.name())) {
        return true;
      }
    }
    return false;
  }
}
