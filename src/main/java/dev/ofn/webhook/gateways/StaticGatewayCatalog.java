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
  private final Map<NamespacedName, JsonNode> functions = new LinkedHashMap<>();

  public StaticGatewayCatalog(Collection<OfnGateway> gateways) {
    this(gateways, Map.of());
  }

  /** {@code namespaceLabels}: labels by namespace name (e.g. from Namespace objects in files). */
  public StaticGatewayCatalog(
      Collection<OfnGateway> gateways, Map<String, Map<String, String>> namespaceLabels) {
    for (OfnGateway gateway : gateways) {
      this.gateways.put(gateway.id(), gateway);
    }
    this.namespaceLabels = Map.copyOf(namespaceLabels);
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
  public Map<String, String> namespaceLabels(String namespace) {
    return namespaceLabels.getOrDefault(namespace, Map.of());
  }
}
