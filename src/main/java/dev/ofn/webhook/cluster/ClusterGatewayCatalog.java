package dev.ofn.webhook.cluster;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The catalog backed by informers: OFN Gateways, k8s Gateways (listeners) and Namespaces (labels).
 * Events convert each object once into the small records lookups return, so a review never
 * converts.
 */
public final class ClusterGatewayCatalog implements GatewayCatalog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterGatewayCatalog.class);

  private final KubernetesClient client;
  private final Map<NamespacedName, OfnGateway> ofnGateways = new ConcurrentHashMap<>();
  private final Map<NamespacedName, List<Listener>> k8sListeners = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> namespaceLabels = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> namespaceAnnotations = new ConcurrentHashMap<>();
  private final Map<String, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
  private SharedIndexInformer<GenericKubernetesResource> ofnGatewayInformer;
  private SharedIndexInformer<GenericKubernetesResource> k8sGatewayInformer;
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final Map<NamespacedName, Long> misses = new ConcurrentHashMap<>();
  private static final long MISS_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final int MAX_MISSES = 1024;
  private volatile Function<NamespacedName, Optional<JsonNode>> functions = id -> Optional.empty();

  public ClusterGatewayCatalog(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Starts the informers of the resources the cluster serves; absent ones are logged once and
   * skipped.
   */
  public void start() {
    if (ClusterResources.serves(client, ClusterResources.OFN_GATEWAYS, "gateways")) {
      ofnGatewayInformer =
          client
              .genericKubernetesResources(ClusterResources.OFN_GATEWAYS, "Gateway")
              .inAnyNamespace()
              .inform(handler(this::tree, ofnGateways, OfnGateway::from));
      informers.put("ofn-gateways", ofnGatewayInformer);
    } else {
      LOG.warn(
          "the cluster serves no {} gateways: OFN Gateways come only from requests",
          ClusterResources.OFN_GATEWAYS);
    }
    Optional<String> gatewayApi = ClusterResources.gatewayApiVersion(client, "gateways");
    if (gatewayApi.isPresent()) {
      k8sGatewayInformer =
          client
              .genericKubernetesResources(gatewayApi.get(), "Gateway")
              .inAnyNamespace()
              .inform(handler(this::tree, k8sListeners, ClusterGatewayCatalog::listeners));
      informers.put("k8s-gateways", k8sGatewayInformer);
    } else {
      LOG.warn("the cluster serves no Gateway API gateways: listeners are read from OFN Gateways");
    }
    informers.put(
        "namespaces",
        client
            .namespaces()
            .inform(
                new ResourceEventHandler<Namespace>() {
                  @Override
                  public void onAdd(Namespace ns) {
                    namespaceLabels.put(ns.getMetadata().getName(), Map.copyOf(labels(ns)));
                    namespaceAnnotations.put(
                        ns.getMetadata().getName(), Map.copyOf(annotations(ns)));
                    changed();
                  }

                  @Override
                  public void onUpdate(Namespace old, Namespace ns) {
                    onAdd(ns);
                  }

                  @Override
                  public void onDelete(Namespace ns, boolean unknown) {
                    namespaceLabels.remove(ns.getMetadata().getName());
                    namespaceAnnotations.remove(ns.getMetadata().getName());
                    changed();
                  }
                }));
  }

  /** Where {@link #function} looks Functions up (the route informers' Function cache). */
  public void functionsFrom(Function<NamespacedName, Optional<JsonNode>> lookup) {
    this.functions = lookup;
  }

  @Override
  public Optional<JsonNode> function(NamespacedName id) {
    return functions.apply(id);
  }

  /** Called whenever an OFN Gateway, a k8s Gateway or a Namespace is added, changed or removed. */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  /**
   * The running OFN Gateway informer, for the controller to add its handlers to and read from (no
   * second watch); empty when the cluster does not serve OFN Gateways.
   */
  public Optional<SharedIndexInformer<GenericKubernetesResource>> ofnGatewayInformer() {
    return Optional.ofNullable(ofnGatewayInformer);
  }

  /** The running k8s Gateway informer; empty when the cluster serves no Gateway API gateways. */
  public Optional<SharedIndexInformer<GenericKubernetesResource>> k8sGatewayInformer() {
    return Optional.ofNullable(k8sGatewayInformer);
  }

  /** True when every started informer has listed its resources once. */
  public boolean synced() {
    return informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  public Map<String, Boolean> syncState() {
    Map<String, Boolean> state = new LinkedHashMap<>();
    informers.forEach((name, informer) -> state.put(name, informer.hasSynced()));
    return state;
  }

  @Override
  public Optional<OfnGateway> ofnGateway(NamespacedName id) {
    return Optional.ofNullable(ofnGateways.get(id));
  }

  @Override
  public boolean mayFetch(NamespacedName id) {
    return ofnGatewayInformer != null && !ofnGateways.containsKey(id) && !recentlyMissing(id);
  }

  /**
   * A Function whose gateway does not exist would otherwise cost a worker hop and a live GET on
   * every review: a 404 is remembered for {@link #MISS_TTL_NANOS}. A gateway created meanwhile is
   * seen at once through the informer, whose cache is read first.
   */
  private boolean recentlyMissing(NamespacedName id) {
    Long at = misses.get(id);
    return at != null && System.nanoTime() - at < MISS_TTL_NANOS;
  }

  @Override
  public Optional<OfnGateway> fetchOfnGateway(NamespacedName id) {
    OfnGateway cached = ofnGateways.get(id);
    if (cached != null || ofnGatewayInformer == null || recentlyMissing(id)) {
      return Optional.ofNullable(cached);
    }
    try {
      GenericKubernetesResource live =
          client
              .adapt(io.fabric8.kubernetes.client.NamespacedKubernetesClient.class)
              .withRequestConfig(
                  new io.fabric8.kubernetes.client.RequestConfigBuilder()
                      .withRequestTimeout(1_000)
                      .build())
              .call(
                  c ->
                      c.genericKubernetesResources(ClusterResources.OFN_GATEWAYS, "Gateway")
                          .inNamespace(id.namespace())
                          .withName(id.name())
                          .get());
      if (live == null) {
        if (misses.size() >= MAX_MISSES) {
          misses.clear(); // bounded: only a stream of distinct missing names gets here
        }
        misses.put(id, System.nanoTime());
        return Optional.empty();
      }
      return Optional.of(OfnGateway.from(tree(live)));
    } catch (RuntimeException e) {
      LOG.warn("OFN Gateway {} is not cached and could not be read: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public Collection<OfnGateway> ofnGateways() {
    return List.copyOf(ofnGateways.values());
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

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }

  private JsonNode tree(GenericKubernetesResource resource) {
    return client.getKubernetesSerialization().convertValue(resource, JsonNode.class);
  }

  private static List<Listener> listeners(JsonNode gateway) {
    List<Listener> listeners = new ArrayList<>();
    gateway.path("spec").path("listeners").forEach(l -> listeners.add(Listener.from(l)));
    return List.copyOf(listeners);
  }

  private static Map<String, String> labels(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static Map<String, String> annotations(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private <V> ResourceEventHandler<GenericKubernetesResource> handler(
      java.util.function.Function<GenericKubernetesResource, JsonNode> toTree,
      Map<NamespacedName, V> target,
      java.util.function.Function<JsonNode, V> read) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource resource) {
        NamespacedName id = id(resource);
        target.put(id, read.apply(toTree.apply(resource)));
        changed();
      }

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource resource) {
        onAdd(resource);
      }

      @Override
      public void onDelete(GenericKubernetesResource resource, boolean unknown) {
        NamespacedName id = id(resource);
        target.remove(id);
        changed();
      }
    };
  }

  private void changed() {
    changeListeners.forEach(Runnable::run);
  }

  private static NamespacedName id(HasMetadata resource) {
    return new NamespacedName(
        resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }
}
