package dev.ofn.webhook.cluster;

import dev.ofn.webhook.Daemons;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.HostOwnership;
import dev.ofn.webhook.routing.Owner;
import dev.ofn.webhook.routing.RouteKeys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Keeps the conflict index equal to the cluster: Function, HTTPRoute and GRPCRoute events put each
 * object's route keys (replacing its reservation) and remove them on delete. When gateways or
 * namespaces change, every object is re-keyed from the informer caches (listeners and allowedRoutes
 * decide the keys).
 */
public final class ConflictIndexFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConflictIndexFeed.class);

  private final KubernetesClient client;
  private final Informers informers;
  private final ConflictIndex index;
  private final RouteKeys routeKeys;
  private final HostOwnership ownership;
  private volatile Set<String> reported = Set.of();
  private final AtomicBoolean rekeyPending = new AtomicBoolean();
  private final ScheduledExecutorService rekeyer = Daemons.timer("conflict-index-rekey");

  /**
   * Adds its listeners to {@code informers} (not started yet). {@code ownership}: audits the stored
   * objects against hostname ownership after every re-key and every minute, logging each violation
   * once (null: no audit).
   */
  public ConflictIndexFeed(
      KubernetesClient client,
      Informers informers,
      ConflictIndex index,
      RouteKeys routeKeys,
      HostOwnership ownership) {
    this.client = client;
    this.informers = informers;
    this.index = index;
    this.routeKeys = routeKeys;
    this.ownership = ownership;
    ChangeListener<GenericKubernetesResource> routes =
        new ChangeListener<>() {
          @Override
          public void changed(GenericKubernetesResource old, GenericKubernetesResource now) {
            put(now);
          }

          @Override
          public void deleted(GenericKubernetesResource gone) {
            index.remove(Owner.of(tree(gone)));
          }
        };
    informers.functions().onChange(routes);
    informers.httpRoutes().onChange(routes);
    informers.grpcRoutes().onChange(routes);
    // registered after the catalog's listeners: the re-key reads what they stored
    ChangeListener<GenericKubernetesResource> rekey = ChangeListener.any(changed -> rekeyAll());
    informers.ofnGateways().onChange(rekey);
    informers.k8sGateways().onChange(rekey);
    informers.namespaces().onChange(rekey);
    informers.gatewayClasses().onChange(rekey);
    informers.listenerSets().onChange(rekey);
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

  /** Starts the timers: reservations expire, the ownership audit runs every minute. */
  public void start() {
    rekeyer.scheduleWithFixedDelay(index::expireReservations, 5, 5, TimeUnit.SECONDS);
    rekeyer.scheduleWithFixedDelay(this::safeAudit, 60, 60, TimeUnit.SECONDS);
  }

  /** Schedules one re-key of everything (coalesced: a burst of gateway events costs one pass). */
  public void rekeyAll() {
    if (!rekeyer.isShutdown() && rekeyPending.compareAndSet(false, true)) {
      rekeyer.schedule(
          () -> {
            rekeyPending.set(false);
            informers.functions().list().forEach(this::put);
            informers.httpRoutes().list().forEach(this::put);
            informers.grpcRoutes().list().forEach(this::put);
            safeAudit();
          },
          200,
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    rekeyer.shutdownNow();
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
