package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.json.Json;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Whether a listener's {@code allowedRoutes} admit an HTTPRoute or GRPCRoute from a namespace, and
 * whether a Gateway's {@code allowedListeners} admit a ListenerSet (Gateway API rules).
 */
final class AllowedRoutes {
  static final String GROUP = dev.ofn.webhook.model.Names.GATEWAY_API_GROUP;
  // Namespaces carry this label automatically; selectors often use it, so an unknown namespace
  // still has it.
  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private AllowedRoutes() {}

  /**
   * Null when admitted; otherwise what refuses it, e.g. {@code namespace team-a}, for the warning.
   */
  static String refusal(
      Listener listener,
      String gatewayNamespace,
      String routeNamespace,
      Map<String, String> labels,
      String kind) {
    JsonNode allowed = listener.allowedRoutes();
    if (!kindAllowed(listener, Json.at(allowed, "kinds"), kind)) {
      return kind;
    }
    String from = Json.stringOr(allowed, "Same", "namespaces", "from");
    boolean admitted =
        switch (from) {
          case "All" -> true;
          case "Same" -> gatewayNamespace.equals(routeNamespace);
          case "Selector" ->
              selects(Json.at(allowed, "namespaces", "selector"), withName(labels, routeNamespace));
          default -> false;
        };
    return admitted ? null : "namespace " + routeNamespace;
  }

  /**
   * True when a Gateway's {@code allowedListeners} (null or absent: none, the default) admit a
   * ListenerSet from {@code setNamespace}.
   */
  static boolean listenerSetAdmitted(
      JsonNode allowedListeners,
      String gatewayNamespace,
      String setNamespace,
      Map<String, String> labels) {
    if (allowedListeners == null) {
      return false;
    }
    return switch (Json.stringOr(allowedListeners, "None", "namespaces", "from")) {
      case "All" -> true;
      case "Same" -> gatewayNamespace.equals(setNamespace);
      case "Selector" ->
          selects(
              Json.at(allowedListeners, "namespaces", "selector"), withName(labels, setNamespace));
      default -> false;
    };
  }

  /** HTTP and HTTPS listeners take HTTPRoutes and GRPCRoutes unless their kinds say otherwise. */
  private static boolean kindAllowed(Listener listener, JsonNode kinds, String routeKind) {
    if (kinds.isArray() && !kinds.isEmpty()) {
      for (JsonNode kind : kinds) {
        if (routeKind.equals(Json.stringOr(kind, "", "kind"))
            && GROUP.equals(Json.stringOr(kind, GROUP, "group"))) {
          return true;
        }
      }
      return false;
    }
    // Without kinds, the protocol decides; an OFN listener read leniently may lack one: treat as
    // HTTP.
    String protocol = listener.protocol();
    return protocol.isEmpty() || "HTTP".equals(protocol) || "HTTPS".equals(protocol);
  }

  private static Map<String, String> withName(Map<String, String> labels, String namespace) {
    if (labels.containsKey(NAME_LABEL)) {
      return labels;
    }
    Map<String, String> copy = new HashMap<>(labels);
    copy.put(NAME_LABEL, namespace);
    return copy;
  }

  /** A metav1.LabelSelector; an empty one selects everything, an absent one nothing. */
  static boolean selects(JsonNode selector, Map<String, String> labels) {
    if (!selector.isObject()) {
      return false;
    }
    JsonNode matchLabels = Json.at(selector, "matchLabels");
    if (matchLabels.isObject()) {
      for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
        if (!e.getValue().isString()
            || !e.getValue().stringValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    JsonNode expressions = Json.at(selector, "matchExpressions");
    if (expressions.isArray()) {
      for (JsonNode expression : expressions) {
        if (!requirement(expression, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean requirement(JsonNode expression, Map<String, String> labels) {
    String key = Json.stringOr(expression, "", "key");
    String value = labels.get(key);
    boolean listed = false;
    JsonNode values = Json.at(expression, "values");
    if (value != null && values.isArray()) {
      for (JsonNode v : values) {
        listed |= v.isString() && v.stringValue().equals(value);
      }
    }
    return switch (Json.stringOr(expression, "", "operator")) {
      case "In" -> listed;
      case "NotIn" -> !listed;
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }
}
