package dev.ofn.webhook.cluster;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.K8sGateway;
import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.ListenerSet;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The catalog backed by informers: OFN Gateways, k8s Gateways (listeners, annotations),
 * GatewayClasses (annotations), ListenerSets and Namespaces (labels) from {@link Informers},
 * Functions read from its Function cache. Events convert each object once into the small records
 * lookups return, so a review never converts (nor does the controller: it reads OFN Gateways from
 * here).
 */
public final class ClusterGatewayCatalog implements GatewayCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterGatewayCatalog.class);

  private final KubernetesClient client;
  private final Informers informers;
  private final Map<NamespacedName, OfnGateway> ofnGateways = new ConcurrentHashMap<>();
  private final Map<NamespacedName, K8sGateway> k8sGateways = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> gatewayClasses = new ConcurrentHashMap<>();
  private final Map<NamespacedName, ListenerSet> listenerSets = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> namespaceLabels = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> namespaceAnnotations = new ConcurrentHashMap<>();
  private final Map<NamespacedName, Long> misses = new ConcurrentHashMap<>();
  private static final long MISS_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final int MAX_MISSES = 1024;

  /** Adds its listeners to {@code informers}, which must not have started yet. */
  public ClusterGatewayCatalog(KubernetesClient client, Informers informers) {
    this.client = client;
    this.informers = informers;
    informers.ofnGateways().onChange(into(ofnGateways, OfnGateway::from));
    informers.k8sGateways().onChange(into(k8sGateways, K8sGateway::from));
    informers.listenerSets().onChange(into(listenerSets, ListenerSet::from));
    informers
        .gatewayClasses()
        .onChange(
            new ChangeListener<>() {
              @Override
              public void changed(GenericKubernetesResource old, GenericKubernetesResource now) {
                gatewayClasses.put(now.getMetadata().getName(), Map.copyOf(annotations(now)));
              }

              @Override
              public void deleted(GenericKubernetesResource gone) {
                gatewayClasses.remove(gone.getMetadata().getName());
              }
            });
    informers
        .namespaces()
        .onChange(
            new ChangeListener<>() {
              @Override
              public void changed(GenericKubernetesResource old, GenericKubernetesResource ns) {
                namespaceLabels.put(ns.getMetadata().getName(), Map.copyOf(labels(ns)));
                namespaceAnnotations.put(ns.getMetadata().getName(), Map.copyOf(annotations(ns)));
              }

              @Override
              public void deleted(GenericKubernetesResource ns) {
                namespaceLabels.remove(ns.getMetadata().getName());
                namespaceAnnotations.remove(ns.getMetadata().getName());
              }
            });
  }

  @Override
  public Optional<JsonNode> function(NamespacedName id) {
    return informers.functions().get(id).map(this::tree);
  }

  @Override
  public Optional<OfnGateway> ofnGateway(NamespacedName id) {
    return Optional.ofNullable(ofnGateways.get(id));
  }

  @Override
  public boolean mayFetch(NamespacedName id) {
    return informers.ofnGateways().apiVersion().isPresent()
        && !ofnGateways.containsKey(id)
        && !recentlyMissing(id);
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
    Optional<String> apiVersion = informers.ofnGateways().apiVersion();
    if (cached != null || apiVersion.isEmpty() || recentlyMissing(id)) {
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
                      c.genericKubernetesResources(apiVersion.get(), "Gateway")
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
    return k8sGateway(k8sGateway).map(K8sGateway::listeners);
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

  private JsonNode tree(GenericKubernetesResource resource) {
    return client.getKubernetesSerialization().convertValue(resource, JsonNode.class);
  }

  private static Map<String, String> labels(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static Map<String, String> annotations(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private <V> ChangeListener<GenericKubernetesResource> into(
      Map<NamespacedName, V> target, java.util.function.Function<JsonNode, V> read) {
    return new ChangeListener<>() {
      @Override
      public void changed(GenericKubernetesResource old, GenericKubernetesResource now) {
        target.put(id(now), read.apply(tree(now)));
      }

      @Override
      public void deleted(GenericKubernetesResource gone) {
        target.remove(id(gone));
      }
    };
  }

  private static NamespacedName id(HasMetadata resource) {
    return new NamespacedName(
        resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }
}
