package dev.ofn.webhook.routing;

import dev.ofn.webhook.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * One HTTPRoute match, normalised so that two matches selecting the same requests compare equal
 * (docs/behaviour.md §7): PathPrefix loses a trailing {@code /}, header names are lowercased,
 * header and query conditions are sets, omitted types take their Gateway API defaults.
 * RegularExpression values are compared literally.
 */
public record Match(
    String pathType,
    String path,
    String method,
    List<Condition> headers,
    List<Condition> queryParams) {

  public static final String PATH_PREFIX = "PathPrefix";
  public static final String EXACT = "Exact";
  public static final String REGULAR_EXPRESSION = "RegularExpression";

  /** What a rule without matches, or a match without a path, matches: every path. */
  public static final Match ROOT = new Match(PATH_PREFIX, "/", null, List.of(), List.of());

  /**
   * The type of a GRPCRoute method match ({@code gRPC} for Exact, {@code gRPC RegularExpression}):
   * never a path type, so a gRPC key never equals an HTTP one.
   */
  public static final String GRPC = "gRPC";

  public static final String GRPC_REGULAR_EXPRESSION = GRPC + " " + REGULAR_EXPRESSION;

  /** What a GRPCRoute rule without matches, or a match without a method, matches: every method. */
  public static final Match GRPC_ANY = new Match(GRPC, "*/*", null, List.of(), List.of());

  /** A header or query-param condition; {@code type} is Exact or RegularExpression. */
  public record Condition(String name, String type, String value) implements Comparable<Condition> {
    @Override
    public int compareTo(Condition o) {
      int c = name.compareTo(o.name);
      c = c != 0 ? c : type.compareTo(o.type);
      return c != 0 ? c : value.compareTo(o.value);
    }

    @Override
    public String toString() {
      return name + (EXACT.equals(type) ? "=" : "~") + value;
    }
  }

  /**
   * Normalises one element of {@code rules[i].matches}; lenient about wrong types (validation
   * reports those).
   */
  public static Match of(JsonNode match) {
    String type = canonicalType(Json.stringOr(match, PATH_PREFIX, "path", "type"));
    String value = Json.stringOr(match, "/", "path", "value");
    if (PATH_PREFIX.equals(type)) {
      // Gateway API prefix matching is by path element: /a/ and /a select the same requests.
      int end = value.length();
      while (end > 1 && value.charAt(end - 1) == '/') {
        end--;
      }
      value = value.substring(0, end);
    }
    String method = Json.string(match, "method").filter(m -> !m.isEmpty()).orElse(null);
    List<Condition> headers = conditions(Json.at(match, "headers"), true);
    List<Condition> query = conditions(Json.at(match, "queryParams"), false);
    Match result = new Match(type, value, method, headers, query);
    return result.equals(ROOT) ? ROOT : result;
  }

  /**
   * Normalises one element of a GRPCRoute's {@code rules[i].matches}: the method as {@code
   * service/method} ({@code *} for an omitted part, which matches any), type Exact by default, and
   * the header conditions as for HTTPRoutes.
   */
  public static Match grpc(JsonNode match) {
    JsonNode method = Json.at(match, "method");
    String type =
        REGULAR_EXPRESSION.equals(Json.stringOr(method, EXACT, "type"))
            ? GRPC_REGULAR_EXPRESSION
            : GRPC;
    String value =
        Json.string(method, "service").filter(v -> !v.isEmpty()).orElse("*")
            + "/"
            + Json.string(method, "method").filter(v -> !v.isEmpty()).orElse("*");
    if ("*/*".equals(value)) {
      type = GRPC; // no method to compare: every method, whatever the type says
    }
    Match result =
        new Match(type, value, null, conditions(Json.at(match, "headers"), true), List.of());
    return result.equals(GRPC_ANY) ? GRPC_ANY : result;
  }

  private static List<Condition> conditions(JsonNode items, boolean lowercaseNames) {
    if (!items.isArray() || items.isEmpty()) {
      return List.of();
    }
    TreeSet<Condition> set = new TreeSet<>();
    for (JsonNode item : items) {
      String name = Json.stringOr(item, "", "name");
      set.add(
          new Condition(
              lowercaseNames ? name.toLowerCase(Locale.ROOT) : name,
              canonicalType(Json.stringOr(item, EXACT, "type")),
              Json.string(item, "value").orElse("")));
    }
    return List.copyOf(new ArrayList<>(set));
  }

  /**
   * The known type names as shared constants (fewer strings per key); unknown ones kept as written.
   */
  private static String canonicalType(String type) {
    return switch (type) {
      case PATH_PREFIX -> PATH_PREFIX;
      case EXACT -> EXACT;
      case REGULAR_EXPRESSION -> REGULAR_EXPRESSION;
      default -> type;
    };
  }

  /**
   * {@code PathPrefix /v2/foo}, then {@code method=GET}, {@code header x-env=prod}, {@code query
   * v~^2}.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(pathType).append(' ').append(path);
    if (method != null) {
      out.append(" method=").append(method);
    }
    headers.forEach(h -> out.append(" header ").append(h));
    queryParams.forEach(q -> out.append(" query ").append(q));
    return out.toString();
  }
}
