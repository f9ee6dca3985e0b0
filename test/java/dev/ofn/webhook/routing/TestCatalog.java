package dev.ofn.webhook.routing;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.K8sGateway;
import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.ListenerSet;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A catalog the tests fill: OFN Gateways, k8s Gateway listeners, namespace labels. */
final class TestCatalog implements GatewayCatalog {
  final Map<NamespacedName, OfnGateway> gateways = new LinkedHashMap<>();
  final Map<NamespacedName, List<Listener>> k8sListeners = new HashMap<>();
  final Map<String, Map<String, String>> labels = new HashMap<>();
  final Map<String, Map<String, String>> annotations = new HashMap<>();
  final Map<NamespacedName, K8sGateway> k8sGateways = new HashMap<>();
  final Map<String, Map<String, String>> gatewayClasses = new HashMap<>();
  final Map<NamespacedName, ListenerSet> listenerSets = new HashMap<>();

  /**
   * The default OFN Gateway fixture: openfunction/openfunction → projectcontour/contour,
   * *.cluster.local and *.ofn.io on 80.
   */
  static TestCatalog withDefaultGateway() {
    return new TestCatalog().add(Fixtures.load("default-gateway.yaml"));
  }

  /** A YAML tree, typed as the caller needs (ObjectNode, ArrayNode, JsonNode). */
  @SuppressWarnings("unchecked")
  static <T extends JsonNode> T yaml(String text) {
    try {
      return (T) Json.YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  TestCatalog add(JsonNode ofnGateway) {
    OfnGateway gateway = OfnGateway.from(ofnGateway);
    gateways.put(gateway.id(), gateway);
    return this;
  }

  /** Listeners of a k8s Gateway as the cluster has them, from YAML list items. */
  TestCatalog k8sGateway(String namespace, String name, String listenersYaml) {
    List<Listener> listeners = new ArrayList<>();
    Json.YAML.readTree(listenersYaml).forEach(l -> listeners.add(Listener.from(l)));
    k8sListeners.put(new NamespacedName(namespace, name), listeners);
    return this;
  }

  /** A whole k8s Gateway object (annotations, class, listeners, allowedListeners), as YAML. */
  TestCatalog gateway(String gatewayYaml) {
    K8sGateway gateway = K8sGateway.from(yaml(gatewayYaml));
    k8sGateways.put(gateway.id(), gateway);
    return this;
  }

  TestCatalog gatewayClass(String name, Map<String, String> classAnnotations) {
    gatewayClasses.put(name, classAnnotations);
    return this;
  }

  /** A ListenerSet object, as YAML. */
  TestCatalog listenerSet(String listenerSetYaml) {
    ListenerSet set = ListenerSet.from(yaml(listenerSetYaml));
    listenerSets.put(set.id(), set);
    return this;
  }

  @Override
  public Optional<K8sGateway> k8sGateway(NamespacedName id) {
    return Optional.ofNullable(k8sGateways.get(id));
  }

  @Override
  public Map<String, String> gatewayClassAnnotations(String name) {
    return gatewayClasses.getOrDefault(name, Map.of());
  }

  @Override
  public Optional<ListenerSet> listenerSet(NamespacedName id) {
    return Optional.ofNullable(listenerSets.get(id));
  }

  TestCatalog namespace(String namespace, Map<String, String> namespaceLabels) {
    labels.put(namespace, namespaceLabels);
    return this;
  }

  TestCatalog namespaceAnnotations(String namespace, Map<String, String> namespaceAnnotations) {
    annotations.put(namespace, namespaceAnnotations);
    return this;
  }

  @Override
  public Map<String, String> namespaceAnnotations(String namespace) {
    return annotations.getOrDefault(namespace, Map.of());
  }

  @Override
  public Optional<OfnGateway> ofnGateway(NamespacedName id) {
    return Optional.ofNullable(gateways.get(id));
  }

  @Override
  public Collection<OfnGateway> ofnGateways() {
    return List.copyOf(gateways.values());
  }

  @Override
  public Optional<List<Listener>> k8sGatewayListeners(NamespacedName k8sGateway) {
    List<Listener> listeners = k8sListeners.get(k8sGateway);
    return listeners != null
        ? Optional.of(listeners)
        : k8sGateway(k8sGateway).map(K8sGateway::listeners);
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    return labels.getOrDefault(namespace, Map.of());
  }
}
