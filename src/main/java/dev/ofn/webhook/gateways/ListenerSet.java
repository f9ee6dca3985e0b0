package dev.ofn.webhook.gateways;

import dev.ofn.webhook.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A Gateway API ListenerSet: listeners that belong to its parent Gateway (when that Gateway's
 * {@code allowedListeners} admit the ListenerSet's namespace). {@code parent} is empty when the
 * parentRef is not a Gateway API Gateway.
 */
public record ListenerSet(
    NamespacedName id, Optional<NamespacedName> parent, List<Listener> listeners) {

  /**
   * Reads a ListenerSet tree leniently: wrong types read as absent, so a bad object never throws.
   */
  public static ListenerSet from(JsonNode listenerSet) {
    String namespace = Json.stringOr(listenerSet, "default", "metadata", "namespace");
    JsonNode ref = Json.at(listenerSet, "spec", "parentRef");
    boolean gateway =
        ref.isObject()
            && K8sGateway.GROUP.equals(Json.string(ref, "group").orElse(K8sGateway.GROUP))
            && K8sGateway.KIND.equals(Json.string(ref, "kind").orElse(K8sGateway.KIND))
            && !Json.stringOr(ref, "", "name").isEmpty();
    List<Listener> listeners = new ArrayList<>();
    JsonNode items = Json.at(listenerSet, "spec", "listeners");
    if (items.isArray()) {
      items.forEach(item -> listeners.add(Listener.from(item)));
    }
    return new ListenerSet(
        new NamespacedName(namespace, Json.stringOr(listenerSet, "", "metadata", "name")),
        gateway
            ? Optional.of(
                new NamespacedName(
                    Json.stringOr(ref, namespace, "namespace"), Json.stringOr(ref, "", "name")))
            : Optional.empty(),
        List.copyOf(listeners));
  }
}
