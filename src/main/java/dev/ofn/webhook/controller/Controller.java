package dev.ofn.webhook.controller;

import dev.ofn.webhook.Daemons;
import dev.ofn.webhook.cluster.ClusterGatewayCatalog;
import dev.ofn.webhook.cluster.Informers;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.HostOwnership;
import dev.ofn.webhook.routing.RouteAudit;
import dev.ofn.webhook.routing.RouteKeys;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller (docs/behaviour.md §9): informer events become keys on two work queues (Functions,
 * OFN Gateways), which the reconcilers work off while this replica leads. It listens to the shared
 * {@link Informers} (the controller-only kinds there: Knative Services and the Services it owns)
 * and reads OFN Gateways converted from the catalog. A periodic resync (and gaining leadership)
 * enqueues everything, so state converges after a lost watch; reconciles write only what differs.
 */
public final class Controller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  /** Timing and sizing; {@link #DEFAULT} for the server, shorter ones for tests. */
  public record Settings(
      Duration resync,
      Duration backoffBase,
      Duration backoffMax,
      int functionWorkers,
      Clock clock) {
    /**
     * Function workers by default. A reconcile spends nearly all its time waiting for the API
     * server (three or four writes, each a round trip), so the workers, not the CPU, bound the
     * rate: 16 keep the API server busy where 2 left it idle (docs/benchmarks.md, "The
     * controller").
     */
    public static final int DEFAULT_FUNCTION_WORKERS = 16;

    public static final Settings DEFAULT =
        new Settings(
            Duration.ofMinutes(5),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            DEFAULT_FUNCTION_WORKERS,
            Clock.systemUTC());

    /** These settings with {@code workers} Function workers ({@code --controller-workers}). */
    public Settings withFunctionWorkers(int workers) {
      return new Settings(resync, backoffBase, backoffMax, workers, clock);
    }
  }

  private final Leadership leadership;
  private final Settings settings;
  private final ScheduledExecutorService timer = Daemons.timer("controller-timer");
  private final Cluster cluster;
  private final Caches caches;
  private final FunctionReconciler functions;
  private final WorkQueue<NamespacedName> functionQueue;
  private final WorkQueue<NamespacedName> gatewayQueue;
  private volatile Map<String, Integer> shadowedRoutes = Map.of();

  /** How often {@link #shadowedRoutes} is re-counted (one key derivation per cached object). */
  static final Duration AUDIT_PERIOD = Duration.ofSeconds(30);

  /**
   * Adds its listeners to {@code informers} (not started yet); {@code metrics}: where it reports
   * its reconciles and queues.
   */
  public Controller(
      KubernetesClient client,
      Informers informers,
      ClusterGatewayCatalog catalog,
      ConflictIndex index,
      RouteKeys routeKeys,
      Leadership leadership,
      Settings settings,
      ControllerMetrics metrics,
      HostOwnership ownership) {
    this.leadership = leadership;
    this.settings = settings;
    cluster = new Cluster(client, leadership::isLeader);
    caches = new Caches(cluster, informers, catalog);
    EventRecorder events = new EventRecorder(cluster, leadership.identity(), settings.clock());
    functions =
        new FunctionReconciler(
            cluster, caches, routeKeys, index, events, settings.clock(), ownership);
    GatewayReconciler gateways = new GatewayReconciler(cluster, caches, settings.clock());
    ControllerMetrics.Hooks functionMetrics =
        metrics.controller("function", settings.functionWorkers());
    ControllerMetrics.Hooks gatewayMetrics = metrics.controller("gateway", 1);
    functionQueue =
        new WorkQueue<>(
            "Function",
            settings.functionWorkers(),
            settings.backoffBase(),
            settings.backoffMax(),
            key -> run(functionMetrics, () -> functions.reconcile(key)),
            functionMetrics);
    gatewayQueue =
        new WorkQueue<>(
            "OFN Gateway",
            1,
            settings.backoffBase(),
            settings.backoffMax(),
            key -> run(gatewayMetrics, () -> gateways.reconcile(key)),
            gatewayMetrics);
    functionMetrics.bind(functionQueue);
    gatewayMetrics.bind(gatewayQueue);
    new Triggers(cluster, caches, functions, functionQueue, gatewayQueue).register(informers);
    // a kind that came (or went) changes decisions: Knative Functions get their routes
    informers.onServedChange(this::resyncAll);
  }

  /** Starts the timers; the workers begin once every cache has synced. */
  public void start() {
    leadership.addListener(
        leading -> {
          if (leading) {
            resyncAll();
          }
        });
    timer.scheduleWithFixedDelay(
        this::resyncAll,
        settings.resync().toMillis(),
        settings.resync().toMillis(),
        TimeUnit.MILLISECONDS);
    timer.execute(this::startWhenSynced);
    timer.scheduleWithFixedDelay(
        this::auditRoutes, AUDIT_PERIOD.toMillis(), AUDIT_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Enqueues every Function and OFN Gateway (periodic resync, new leader). */
  public void resyncAll() {
    caches.functions.list().forEach(f -> functionQueue.add(Caches.id(f)));
    caches.ofnGateways().forEach(g -> gatewayQueue.add(g.id()));
    gatewayQueue.add(GatewayReconciler.SWEEP);
  }

  /** True when no work is queued or running (scheduled retries aside). */
  public boolean idle() {
    return functionQueue.idle() && gatewayQueue.idle();
  }

  /** Writes made by this replica: only the leader's count grows. */
  public long writes() {
    return cluster.writes();
  }

  /** Objects whose last reconcile failed (retrying with backoff). */
  public int failing() {
    return functionQueue.failing() + gatewayQueue.failing();
  }

  /**
   * Route keys that a younger owner claims too and so never gets (Gateway API order), among the
   * cached Functions, HTTPRoutes and GRPCRoutes, by the kind of that younger owner, as of the last
   * audit (every {@link #AUDIT_PERIOD}): the {@code ofn_webhook_shadowed_routes} gauge's series.
   * Cheap: a scrape reads the last result.
   */
  public Map<String, Integer> shadowedRoutes() {
    return shadowedRoutes;
  }

  /** Runs the audit now (on the controller's timer; tests call it): the shadowed route keys. */
  int auditRoutes() {
    List<RouteAudit.Shadowed> shadowed = functions.shadowed();
    shadowedRoutes = RouteAudit.shadowedRoutesByKind(shadowed);
    return RouteAudit.shadowedRoutes(shadowed);
  }

  public int queueDepth() {
    return functionQueue.depth() + gatewayQueue.depth();
  }

  int failures(NamespacedName function) {
    return functionQueue.failures(function);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    functionQueue.close();
    gatewayQueue.close();
  }

  /**
   * Reconciles only while leading; a conflict (409) is retried soon without counting as a failure.
   * Counted (success, requeue, error) only when it ran as the leader's.
   */
  private boolean run(ControllerMetrics.Hooks hooks, Runnable reconcile) {
    if (!leadership.isLeader()) {
      return true;
    }
    long start = System.nanoTime();
    ControllerMetrics.Result result = ControllerMetrics.Result.ERROR;
    try {
      reconcile.run();
      result = ControllerMetrics.Result.SUCCESS;
      return true;
    } catch (Cluster.NotLeader e) {
      result = null; // the lease was lost on the way: nothing was reconciled
      return true;
    } catch (RuntimeException e) {
      if (Cluster.conflict(e)) {
        result = ControllerMetrics.Result.REQUEUE;
        return false;
      }
      throw e;
    } finally {
      if (result != null) {
        hooks.reconciled(result, System.nanoTime() - start);
      }
    }
  }

  private void startWhenSynced() {
    if (caches.synced()) {
      LOG.info("controller caches synced: reconciling (writes only while leading)");
      functionQueue.start();
      gatewayQueue.start();
      resyncAll();
    } else if (!timer.isShutdown()) {
      timer.schedule(this::startWhenSynced, 100, TimeUnit.MILLISECONDS);
    }
  }
}
