package dev.ofn.webhook.cluster;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.HostOwnership;
import dev.ofn.webhook.routing.Owner;
import dev.ofn.webhook.routing.RouteKeys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Keeps the conflict index equal to the cluster: Function and HTTPRoute informers put each object's
 * route keys (replacing its reservation) and remove them on delete. When gateways or namespaces
 * change, every object is re-keyed from the informer caches (listeners and allowedRoutes decide the
 * keys).
 */
public final class ConflictIndexFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConflictIndexFeed.class);

  private final KubernetesClient client;
  private final ConflictIndex index;
  private final RouteKeys routeKeys;
  private final HostOwnership ownership;
  private volatile Set<String> reported = Set.of();
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers =
      new LinkedHashMap<>();
  private SharedIndexInformer<GenericKubernetesResource> functionInformer;
  private SharedIndexInformer<GenericKubernetesResource> httpRouteInformer;
  private final AtomicBoolean rekeyPending = new AtomicBoolean();
  private final ScheduledExecutorService rekeyer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "conflict-index-rekey");
            thread.setDaemon(true);
            return thread;
          });

  public ConflictIndexFeed(KubernetesClient client, ConflictIndex index, RouteKeys routeKeys) {
    this(client, index, routeKeys, null);
  }

  /**
   * {@code ownership}: audits the stored objects against hostname ownership after every re-key and
   * every minute, logging each violation once (null: no audit).
   */
  public ConflictIndexFeed(
      KubernetesClient client, ConflictIndex index, RouteKeys routeKeys, HostOwnership ownership) {
    this.client = client;
    this.index = index;
    this.routeKeys = routeKeys;
    this.ownership = ownership;
  }

  /** Stored objects that break the hostname ownership of their gateway, at the last audit. */
  public int ownershipViolations() {
    return reported.size();
  }

  /**
   * Logs each new violation of hostname ownership once (e.g. after a gateway turned {@code
   * namespace} on): the objects stay, admission only warns on their updates.
   */
  public void audit() {
    if (ownership == null) {
      return;
    }
    Set<String> now = new HashSet<>();
    for (HostOwnership.Violation violation : ownership.violations()) {
      String line = violation.toString();
      now.add(line);
      if (!reported.contains(line)) {
        LOG.warn("hostname ownership: {}", line);
      }
    }
    reported = Set.copyOf(now);
  }

  /** Starts the informers of the resources the cluster serves (an absent CRD is logged once). */
  public void start() {
    if (ClusterResources.serves(client, ClusterResources.FUNCTIONS, "functions")) {
      functionInformer = inform(ClusterResources.FUNCTIONS, "Function");
      informers.put("functions", functionInformer);
    } else {
      LOG.warn(
          "the cluster serves no {} functions: Function routes are indexed only when admitted",
          ClusterResources.FUNCTIONS);
    }
    Optional<String> routes = ClusterResources.gatewayApiVersion(client, "httproutes");
    if (routes.isPresent()) {
      httpRouteInformer = inform(routes.get(), "HTTPRoute");
      informers.put("httproutes", httpRouteInformer);
    } else {
      LOG.warn(
          "the cluster serves no Gateway API httproutes: raw HTTPRoutes are indexed only when admitted");
    }
    rekeyer.scheduleWithFixedDelay(index::expireReservations, 5, 5, TimeUnit.SECONDS);
    rekeyer.scheduleWithFixedDelay(this::safeAudit, 60, 60, TimeUnit.SECONDS);
  }

  public boolean synced() {
    return informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  public Map<String, Boolean> syncState() {
    Map<String, Boolean> state = new LinkedHashMap<>();
    informers.forEach((name, informer) -> state.put(name, informer.hasSynced()));
    return state;
  }

  /** Schedules one re-key of everything (coalesced: a burst of gateway events costs one pass). */
  public void rekeyAll() {
    if (rekeyPending.compareAndSet(false, true)) {
      rekeyer.schedule(
          () -> {
            rekeyPending.set(false);
            informers.values().forEach(informer -> informer.getStore().list().forEach(this::put));
            safeAudit();
          },
          200,
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The running Function informer, for the controller to add its handlers to and read from (no
   * second watch); empty when the cluster does not serve Functions.
   */
  public Optional<SharedIndexInformer<GenericKubernetesResource>> functionInformer() {
    return Optional.ofNullable(functionInformer);
  }

  /** The running HTTPRoute informer; empty when the cluster serves no Gateway API HTTPRoutes. */
  public Optional<SharedIndexInformer<GenericKubernetesResource>> httpRouteInformer() {
    return Optional.ofNullable(httpRouteInformer);
  }

  /** The stored Function {@code id}, as a tree; empty when unknown or not served. */
  public Optional<JsonNode> function(NamespacedName id) {
    if (functionInformer == null) {
      return Optional.empty();
    }
    GenericKubernetesResource found =
        functionInformer.getStore().getByKey(id.namespace() + "/" + id.name());
    return found == null ? Optional.empty() : Optional.of(tree(found));
  }

  /** The current Function objects as trees (the controller reads these too). */
  public List<GenericKubernetesResource> functions() {
    return functionInformer == null ? List.of() : functionInformer.getStore().list();
  }

  @Override
  public void close() {
    rekeyer.shutdownNow();
    informers.values().forEach(SharedIndexInformer::close);
  }

  private SharedIndexInformer<GenericKubernetesResource> inform(String apiVersion, String kind) {
    return client
        .genericKubernetesResources(apiVersion, kind)
        .inAnyNamespace()
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(GenericKubernetesResource resource) {
                put(resource);
              }

              @Override
              public void onUpdate(
                  GenericKubernetesResource old, GenericKubernetesResource resource) {
                put(resource);
              }

              @Override
              public void onDelete(GenericKubernetesResource resource, boolean unknown) {
                index.remove(Owner.of(tree(resource)));
              }
            });
  }

  private void safeAudit() {
    try {
      audit();
    } catch (RuntimeException e) {
      LOG.warn("hostname ownership audit failed: {}", e.toString());
    }
  }

  private void put(GenericKubernetesResource resource) {
    try {
      index.put(routeKeys.of(tree(resource)));
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot index the routes of {} {}/{}: {}",
          resource.getKind(),
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(),
          e.toString());
    }
  }

  private JsonNode tree(GenericKubernetesResource resource) {
    return client.getKubernetesSerialization().convertValue(resource, JsonNode.class);
  }
}
