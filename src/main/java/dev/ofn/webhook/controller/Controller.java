package dev.ofn.webhook.controller;

import dev.ofn.webhook.cluster.ClusterGatewayCatalog;
import dev.ofn.webhook.cluster.ClusterResources;
import dev.ofn.webhook.cluster.ConflictIndexFeed;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.HostOwnership;
import dev.ofn.webhook.routing.HttpRoutes;
import dev.ofn.webhook.routing.RouteAudit;
import dev.ofn.webhook.routing.RouteKeys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller (docs/behaviour.md §9): informer events become keys on two work queues (Functions,
 * OFN Gateways), which the reconcilers work off while this replica leads. It reuses the admission
 * informers (the catalog's Gateways, the feed's Functions and HTTPRoutes) and adds only its own:
 * Knative Services and the Services it owns. A periodic resync (and gaining leadership) enqueues
 * everything, so state converges after a lost watch; reconciles write only what differs.
 */
public final class Controller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  static final String KNATIVE_SERVING = "serving.knative.dev/v1";

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

  private final KubernetesClient client;
  private final ClusterGatewayCatalog catalog;
  private final ConflictIndexFeed feed;
  private final ConflictIndex index;
  private final RouteKeys routeKeys;
  private final Leadership leadership;
  private final Settings settings;
  private final ControllerMetrics metrics;
  private final HostOwnership ownership;
  private final List<SharedIndexInformer<?>> own = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "controller-timer");
            thread.setDaemon(true);
            return thread;
          });
  private Cluster cluster;
  private Caches caches;
  private FunctionReconciler functions;
  private volatile int shadowedRoutes;

  /** How often {@link #shadowedRoutes} is re-counted (one key derivation per cached object). */
  static final Duration AUDIT_PERIOD = Duration.ofSeconds(30);

  private GatewayReconciler gateways;
  private WorkQueue<NamespacedName> functionQueue;
  private WorkQueue<NamespacedName> gatewayQueue;

  /** {@code metrics}: where it reports its reconciles and queues. */
  public Controller(
      KubernetesClient client,
      ClusterGatewayCatalog catalog,
      ConflictIndexFeed feed,
      ConflictIndex index,
      RouteKeys routeKeys,
      Leadership leadership,
      Settings settings,
      ControllerMetrics metrics,
      HostOwnership ownership) {
    this.metrics = metrics;
    this.ownership = ownership;
    this.client = client;
    this.catalog = catalog;
    this.feed = feed;
    this.index = index;
    this.routeKeys = routeKeys;
    this.leadership = leadership;
    this.settings = settings;
  }

  /**
   * Starts the controller-only informers and the queues; the workers begin once every cache has
   * synced.
   */
  public void start() {
    cluster = new Cluster(client, leadership::isLeader);
    String routeVersion = ClusterResources.gatewayApiVersion(client, "httproutes").orElse(null);
    String gatewayVersion = ClusterResources.gatewayApiVersion(client, "gateways").orElse(null);
    if (routeVersion == null || gatewayVersion == null) {
      LOG.warn(
          "the cluster serves no Gateway API {}: the controller writes no {}",
          routeVersion == null ? "httproutes" : "gateways",
          routeVersion == null ? "HTTPRoutes" : "listeners");
    }
    SharedIndexInformer<GenericKubernetesResource> services =
        client
            .genericKubernetesResources("v1", "Service")
            .inAnyNamespace()
            .withLabel(HttpRoutes.CREATED_BY_LABEL, HttpRoutes.CREATED_BY)
            .inform();
    own.add(services);
    caches =
        new Caches(
            cluster,
            feed.functionInformer().orElse(null),
            feed.httpRouteInformer().orElse(null),
            catalog.ofnGatewayInformer().orElse(null),
            catalog.k8sGatewayInformer().orElse(null),
            services);
    if (caches.functions == null) {
      LOG.warn(
          "the cluster serves no {} functions: the controller reconciles only OFN Gateways",
          ClusterResources.FUNCTIONS);
    }
    EventRecorder events = new EventRecorder(cluster, leadership.identity(), settings.clock());
    functions =
        new FunctionReconciler(
            cluster, caches, routeKeys, index, events, settings.clock(), routeVersion, ownership);
    gateways = new GatewayReconciler(cluster, caches, settings.clock(), gatewayVersion);
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

    Triggers triggers = new Triggers(cluster, caches, functions, functionQueue, gatewayQueue);
    watchKnative(triggers);
    triggers.register(services);
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
    if (caches == null) {
      return;
    }
    caches.all(caches.functions).forEach(f -> functionQueue.add(Caches.id(f)));
    caches.all(caches.ofnGateways).forEach(g -> gatewayQueue.add(Caches.id(g)));
    gatewayQueue.add(GatewayReconciler.SWEEP);
  }

  /** True when no work is queued or running (scheduled retries aside). */
  public boolean idle() {
    return functionQueue != null && functionQueue.idle() && gatewayQueue.idle();
  }

  /** Writes made by this replica: only the leader's count grows. */
  public long writes() {
    return cluster == null ? 0 : cluster.writes();
  }

  /** Objects whose last reconcile failed (retrying with backoff). */
  public int failing() {
    return functionQueue == null ? 0 : functionQueue.failing() + gatewayQueue.failing();
  }

  /**
   * Route keys that a younger owner claims too and so never gets (Gateway API order), among the
   * cached Functions and HTTPRoutes, as of the last audit (every {@link #AUDIT_PERIOD}): the value
   * of the {@code ofn_webhook_shadowed_routes} gauge. Cheap: a scrape reads the last result.
   */
  public int shadowedRoutes() {
    return shadowedRoutes;
  }

  /** Runs the audit now (on the controller's timer; tests call it): the shadowed route keys. */
  int auditRoutes() {
    if (functions != null) {
      shadowedRoutes = RouteAudit.shadowedRoutes(functions.shadowed());
    }
    return shadowedRoutes;
  }

  public int queueDepth() {
    return functionQueue == null ? 0 : functionQueue.depth() + gatewayQueue.depth();
  }

  int failures(NamespacedName function) {
    return functionQueue.failures(function);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (functionQueue != null) {
      functionQueue.close();
      gatewayQueue.close();
    }
    own.forEach(SharedIndexInformer::close);
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

  /** Knative Services are controller-only; when the CRD is absent, look again every minute. */
  private void watchKnative(Triggers triggers) {
    if (ClusterResources.serves(client, KNATIVE_SERVING, "services")) {
      SharedIndexInformer<GenericKubernetesResource> knative =
          client
              .genericKubernetesResources(KNATIVE_SERVING, "Service")
              .inAnyNamespace()
              .inform(triggers.knative());
      own.add(knative);
      caches.knativeServices = knative;
      caches.all(caches.functions).forEach(f -> functionQueue.add(Caches.id(f)));
    } else {
      LOG.info(
          "the cluster serves no {} services: Knative Functions get no route until it does",
          KNATIVE_SERVING);
      timer.schedule(() -> watchKnativeLater(triggers), 1, TimeUnit.MINUTES);
    }
  }

  private void watchKnativeLater(Triggers triggers) {
    if (ClusterResources.serves(client, KNATIVE_SERVING, "services")) {
      watchKnative(triggers);
    } else if (!timer.isShutdown()) {
      timer.schedule(() -> watchKnativeLater(triggers), 1, TimeUnit.MINUTES);
    }
  }
}
