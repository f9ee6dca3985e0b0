package dev.ofn.webhook.gateways;

import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A fixed set of OFN Gateways: the built-in default (standalone), or those found in input files.
 */
public final class StaticGatewayCatalog implements GatewayCatalog {
  /** The default OFN Gateway of OpenFunction's docs, shipped as a resource. */
  public static final String BUILT_IN_RESOURCE = "/default-gateway.yaml";

  private final Map<NamespacedName, OfnGateway> gateways = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> namespaceLabels;
  private final Map<NamespacedName, List<Listener>> k8sListeners;
  private final Map<String, Map<String, String>> namespaceAnnotations;
  private final Map<NamespacedName, JsonNode> functions = new LinkedHashMap<>();

  public StaticGatewayCatalog(Collection<OfnGateway> gateways) {
    this(gateways, Map.of());
  }

  /** {@code namespaceLabels}: labels by namespace name (e.g. from Namespace objects in files). */
  public StaticGatewayCatalog(
      Collection<OfnGateway> gateways, Map<String, Map<String, String>> namespaceLabels) {
    this(gateways, namespaceLabels, Map.of());
  }

  /**
   * {@code k8sListeners}: the listeners of k8s Gateways (e.g. read from a cluster or a file), which
   * win over the OFN Gateways' own copy as in a cluster.
   */
  public StaticGatewayCatalog(
      Collection<OfnGateway> gateways,
      Map<String, Map<String, String>> namespaceLabels,
      Map<NamespacedName, List<Listener>> k8sListeners) {
    this(gateways, namespaceLabels, k8sListeners, Map.of());
  }

  /** {@code namespaceAnnotations}: annotations by namespace name (e.g. allowed hostnames). */
  public StaticGatewayCatalog(
      Collection<OfnGateway> gateways,
      Map<String, Map<String, String>> namespaceLabels,
      Map<NamespacedName, List<Listener>> k8sListeners,
      Map<String, Map<String, String>> namespaceAnnotations) {
    for (OfnGateway gateway : gateways) {
      this.gateways.put(gateway.id(), gateway);
    }
    this.namespaceLabels = Map.copyOf(namespaceLabels);
    this.k8sListeners = Map.copyOf(k8sListeners);
    this.namespaceAnnotations = Map.copyOf(namespaceAnnotations);
  }

  /** The built-in default: {@code openfunction/openfunction}, domain {@code ofn.io}. */
  public static StaticGatewayCatalog builtIn() {
    return new StaticGatewayCatalog(List.of(OfnGateway.from(builtInGatewayTree())));
  }

  /** A fresh copy of the built-in default OFN Gateway object. */
  public static JsonNode builtInGatewayTree() {
    try (InputStream in = StaticGatewayCatalog.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + BUILT_IN_RESOURCE);
      }
      return Json.YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<OfnGateway> ofnGateway(NamespacedName id) {
    return Optional.ofNullable(gateways.get(id));
  }

  @Override
  public Collection<OfnGateway> ofnGateways() {
    return List.copyOf(gateways.values());
  }

  /** This catalog, also knowing {@code functions} (e.g. the Functions in input files). */
  public StaticGatewayCatalog withFunctions(Collection<? extends JsonNode> functions) {
    for (JsonNode function : functions) {
      this.functions.put(
          new NamespacedName(
              Json.stringOr(function, "default", "metadata", "namespace"),
              Json.stringOr(function, "", "metadata", "name")),
          function);
    }
    return this;
  }

  @Override
  public Optional<JsonNode> function(NamespacedName id) {
    return Optional.ofNullable(functions.get(id));
  }

  @Override
  public Optional<List<Listener>> k8sGatewayListeners(NamespacedName k8sGateway) {
    return Optional.ofNullable(k8sListeners.get(k8sGateway));
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    return namespaceLabels.getOrDefault(namespace, Map.of());
  }

  @Override
  public Map<String, String> namespaceAnnotations(String namespace) {
    return namespaceAnnotations.getOrDefault(namespace, Map.of());
  }
}
