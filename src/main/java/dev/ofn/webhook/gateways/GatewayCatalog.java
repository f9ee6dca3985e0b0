package dev.ofn.webhook.gateways;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the core may know of the cluster's gateways: the OFN Gateways, the k8s Gateways (listeners,
 * annotations), their GatewayClasses' annotations, ListenerSets and namespace labels (for {@code
 * allowedRoutes} selectors); and the Functions a route may split its traffic to. Backed by informer
 * caches in a cluster, by the built-in default standalone, by the input files offline. Lookups
 * never block.
 */
public interface GatewayCatalog {

  /** The OFN Gateway {@code namespace/name}, if known. */
  Optional<OfnGateway> ofnGateway(NamespacedName id);

  /**
   * Like {@link #ofnGateway} but may ask the cluster when the cache misses (one GET, ≤ 1 s): for a
   * gateway created an instant before the Function that uses it. Blocks; call off the event loop.
   */
  default Optional<OfnGateway> fetchOfnGateway(NamespacedName id) {
    return ofnGateway(id);
  }

  /**
   * True when {@link #fetchOfnGateway} could find more than {@link #ofnGateway} (a cluster cache
   * miss).
   */
  default boolean mayFetch(NamespacedName id) {
    return false;
  }

  /** Every known OFN Gateway. */
  Collection<OfnGateway> ofnGateways();

  /**
   * The listeners of the k8s Gateway as the cluster has it; empty when that Gateway is unknown
   * (absent, standalone, not yet synced), in which case callers fall back to the OFN Gateway's
   * listeners.
   */
  default Optional<List<Listener>> k8sGatewayListeners(NamespacedName k8sGateway) {
    return k8sGateway(k8sGateway).map(K8sGateway::listeners);
  }

  /**
   * The k8s Gateway as the cluster (or the input files) has it: class, annotations, listeners,
   * allowedListeners; empty when unknown.
   */
  default Optional<K8sGateway> k8sGateway(NamespacedName id) {
    return Optional.empty();
  }

  /** The annotations of a GatewayClass (its route policy); empty when unknown. */
  default Map<String, String> gatewayClassAnnotations(String name) {
    return Map.of();
  }

  /** The ListenerSet {@code namespace/name}; empty when unknown. */
  default Optional<ListenerSet> listenerSet(NamespacedName id) {
    return Optional.empty();
  }

  /**
   * The Function {@code namespace/name} as the cluster stores it (a traffic split's backend); empty
   * when unknown: absent, standalone, not yet synced.
   */
  default Optional<JsonNode> function(NamespacedName id) {
    return Optional.empty();
  }

  /** The labels of a namespace; empty when unknown. */
  default Map<String, String> namespaceLabels(String namespace) {
    return Map.of();
  }

  /** The annotations of a namespace (e.g. its allowed hostnames); empty when unknown. */
  default Map<String, String> namespaceAnnotations(String namespace) {
    return Map.of();
  }
}
