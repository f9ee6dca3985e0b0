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
 * An immutable snapshot of what the core may know: the built-in default OFN Gateway (standalone),
 * or what input files or a cluster read hold. Built with {@link #builder()}.
 */
public final class StaticGatewayCatalog implements GatewayCatalog {
  /** The default OFN Gateway of OpenFunction's docs, shipped as a resource. */
  public static final String BUILT_IN_RESOURCE = "/default-gateway.yaml";

  private final Map<NamespacedName, OfnGateway> gateways;
  private final Map<String, Map<String, String>> namespaceLabels;
  private final Map<String, Map<String, String>> namespaceAnnotations;
  private final Map<NamespacedName, List<Listener>> k8sListeners;
  private final Map<NamespacedName, K8sGateway> k8sGateways;
  private final Map<String, Map<String, String>> gatewayClasses;
  private final Map<NamespacedName, ListenerSet> listenerSets;
  private final Map<NamespacedName, JsonNode> functions;

  private StaticGatewayCatalog(Builder builder) {
    this.gateways = copy(builder.gateways);
    this.namespaceLabels = Map.copyOf(builder.namespaceLabels);
    this.namespaceAnnotations = Map.copyOf(builder.namespaceAnnotations);
    this.k8sListeners = Map.copyOf(builder.k8sListeners);
    this.k8sGateways = Map.copyOf(builder.k8sGateways);
    this.gatewayClasses = Map.copyOf(builder.gatewayClasses);
    this.listenerSets = Map.copyOf(builder.listenerSets);
    this.functions = copy(builder.functions);
  }

  private static <K, V> Map<K, V> copy(Map<K, V> ordered) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ordered));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Only these OFN Gateways. */
  public static StaticGatewayCatalog of(Collection<OfnGateway> gateways) {
    return builder().ofnGateways(gateways).build();
  }

  /** The built-in default: {@code openfunction/openfunction}, domain {@code ofn.io}. */
  public static StaticGatewayCatalog builtIn() {
    return of(List.of(OfnGateway.from(builtInGatewayTree())));
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

  @Override
  public Optional<JsonNode> function(NamespacedName id) {
    return Optional.ofNullable(functions.get(id));
  }

  /** Listeners given as such win over a Gateway object's (a cluster read is the fresher). */
  @Override
  public Optional<List<Listener>> k8sGatewayListeners(NamespacedName k8sGateway) {
    List<Listener> listeners = k8sListeners.get(k8sGateway);
    return listeners != null
        ? Optional.of(listeners)
        : k8sGateway(k8sGateway).map(K8sGateway::listeners);
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

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    return namespaceLabels.getOrDefault(namespace, Map.of());
  }

  @Override
  public Map<String, String> namespaceAnnotations(String namespace) {
    return namespaceAnnotations.getOrDefault(namespace, Map.of());
  }

  /** Collects a snapshot; later entries with the same identity replace earlier ones. */
  public static final class Builder {
    private final Map<NamespacedName, OfnGateway> gateways = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> namespaceLabels = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> namespaceAnnotations = new LinkedHashMap<>();
    private final Map<NamespacedName, List<Listener>> k8sListeners = new LinkedHashMap<>();
    private final Map<NamespacedName, K8sGateway> k8sGateways = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> gatewayClasses = new LinkedHashMap<>();
    private final Map<NamespacedName, ListenerSet> listenerSets = new LinkedHashMap<>();
    private final Map<NamespacedName, JsonNode> functions = new LinkedHashMap<>();

    private Builder() {}

    public Builder ofnGateways(Collection<OfnGateway> ofnGateways) {
      ofnGateways.forEach(g -> gateways.put(g.id(), g));
      return this;
    }

    /** Labels by namespace name (e.g. from Namespace objects in files). */
    public Builder namespaceLabels(Map<String, Map<String, String>> labels) {
      namespaceLabels.putAll(labels);
      return this;
    }

    /** Annotations by namespace name (e.g. allowed hostnames). */
    public Builder namespaceAnnotations(Map<String, Map<String, String>> annotations) {
      namespaceAnnotations.putAll(annotations);
      return this;
    }

    /**
     * The listeners of k8s Gateways known only by their listeners, which win over the OFN Gateways'
     * own copy as in a cluster.
     */
    public Builder k8sListeners(Map<NamespacedName, List<Listener>> listeners) {
      k8sListeners.putAll(listeners);
      return this;
    }

    /** Whole k8s Gateways: listeners, annotations, class, allowedListeners. */
    public Builder k8sGateways(Collection<K8sGateway> gateways) {
      gateways.forEach(g -> k8sGateways.put(g.id(), g));
      return this;
    }

    /** GatewayClass annotations by class name. */
    public Builder gatewayClasses(Map<String, Map<String, String>> annotations) {
      gatewayClasses.putAll(annotations);
      return this;
    }

    public Builder listenerSets(Collection<ListenerSet> sets) {
      sets.forEach(s -> listenerSets.put(s.id(), s));
      return this;
    }

    /** Functions a traffic split may name (e.g. the Functions in input files). */
    public Builder functions(Collection<? extends JsonNode> trees) {
      for (JsonNode function : trees) {
        functions.put(
            new NamespacedName(
                Json.stringOr(function, "default", "metadata", "namespace"),
                Json.stringOr(function, "", "metadata", "name")),
            function);
      }
      return this;
    }

    public StaticGatewayCatalog build() {
      return new StaticGatewayCatalog(this);
    }
  }
}
