package dev.ofn.webhook.gateways;

import dev.ofn.webhook.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A Gateway API Gateway as far as route policing cares: its class, its annotations (the route
 * policy, hostname ownership), its listeners and which ListenerSets it admits ({@code
 * allowedListeners} as the raw tree; absent = none, the Gateway API default).
 */
public record K8sGateway(
    NamespacedName id,
    String className,
    Map<String, String> annotations,
    List<Listener> listeners,
    JsonNode allowedListeners) {
  /** The Gateway API group and the kind of its Gateways (here: {@code gateways} is below model). */
  public static final String GROUP = "gateway.networking.k8s.io";

  public static final String KIND = "Gateway";

  /**
   * Annotation of a Gateway or GatewayClass: {@code deny}, {@code warn} or {@code off}, whether the
   * routes on the Gateway (or the class's Gateways) are policed for conflicts.
   */
  public static final String ROUTE_POLICY_ANNOTATION = "ofn-webhook.io/route-policy";

  /**
   * Annotation of a Gateway: {@code off} or {@code namespace}, the hostname ownership of its routes
   * (as {@link OwnershipMode#ANNOTATION} on an OFN Gateway).
   */
  public static final String HOSTNAME_OWNERSHIP_ANNOTATION = "ofn-webhook.io/hostname-ownership";

  /** Reads a Gateway tree leniently: wrong types read as absent, so a bad object never throws. */
  public static K8sGateway from(JsonNode gateway) {
    JsonNode spec = Json.at(gateway, "spec");
    List<Listener> listeners = new ArrayList<>();
    JsonNode items = Json.at(spec, "listeners");
    if (items.isArray()) {
      items.forEach(item -> listeners.add(Listener.from(item)));
    }
    JsonNode allowed = Json.at(spec, "allowedListeners");
    return new K8sGateway(
        new NamespacedName(
            Json.stringOr(gateway, "default", "metadata", "namespace"),
            Json.stringOr(gateway, "", "metadata", "name")),
        Json.stringOr(spec, "", "gatewayClassName"),
        strings(Json.at(gateway, "metadata", "annotations")),
        List.copyOf(listeners),
        allowed.isObject() ? allowed : MissingNode.getInstance());
  }

  /** The string entries of an object node (labels, annotations); others are skipped. */
  public static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object.isObject()) {
      object
          .properties()
          .forEach(
              e -> {
                if (e.getValue().isString()) {
                  out.put(e.getKey(), e.getValue().stringValue());
                }
              });
    }
    return Map.copyOf(out);
  }

  /** The route policy its own annotation names; empty when absent or not a policy. */
  public Optional<RoutePolicy> routePolicy() {
    return Optional.ofNullable(annotations.get(ROUTE_POLICY_ANNOTATION))
        .flatMap(RoutePolicy::parse);
  }

  /** The hostname ownership its annotation asks for; empty when absent or not a mode. */
  public Optional<OwnershipMode> hostnameOwnership() {
    return Optional.ofNullable(annotations.get(HOSTNAME_OWNERSHIP_ANNOTATION))
        .flatMap(OwnershipMode::parse);
  }
}
