package dev.ofn.webhook.cluster;

import dev.ofn.webhook.Daemons;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the cluster informers: every watched kind is declared here (one field and its
 * accessor), found by one discovery pass, started and stopped here, and its sync state reported
 * from here. Consumers (the gateway catalog, the conflict index feed, the controller) add their
 * listeners to the typed watches before {@link #start}.
 *
 * <p>Kinds come and go with their CustomResourceDefinitions: a watch on CRDs starts a kind's
 * informer within seconds of its CRD being established and stops it when the CRD goes. Where the
 * server may not read CRDs, discovery is asked again every {@link #POLL} instead.
 */
public final class Informers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Informers.class);

  /** How often discovery is asked again when CRDs cannot be watched. */
  static final Duration POLL = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final boolean controller;
  private final boolean openFunction;
  private final List<Watch> all = new ArrayList<>();
  private final List<Runnable> servedChanges = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller = Daemons.timer("informers-discovery");
  private volatile SharedIndexInformer<CustomResourceDefinition> crds;

  private final Watch ofnGateways = declare(WatchedKind.OFN_GATEWAYS);
  private final Watch k8sGateways = declare(WatchedKind.K8S_GATEWAYS);
  private final Watch functions = declare(WatchedKind.FUNCTIONS);
  private final Watch httpRoutes = declare(WatchedKind.HTTP_ROUTES);
  private final Watch grpcRoutes = declare(WatchedKind.GRPC_ROUTES);
  private final Watch gatewayClasses = declare(WatchedKind.GATEWAY_CLASSES);
  private final Watch listenerSets = declare(WatchedKind.LISTENER_SETS);
  private final Watch namespaces = declare(WatchedKind.NAMESPACES);
  private final Watch knativeServices = declare(WatchedKind.KNATIVE_SERVICES);
  private final Watch ownedServices = declare(WatchedKind.OWNED_SERVICES);

  /** {@code controller}: also watch the kinds only the controller needs. */
  public Informers(KubernetesClient client, boolean controller) {
    this(client, controller, true);
  }

  /**
   * {@code openFunction} false: OpenFunction's kinds are not watched even where their CRDs are
   * installed (Gateway API only: the install may not read them, and no webhook of ours admits
   * them).
   */
  public Informers(KubernetesClient client, boolean controller, boolean openFunction) {
    this.client = client;
    this.controller = controller;
    this.openFunction = openFunction;
  }

  private Watch declare(WatchedKind kind) {
    Watch watch = new Watch(kind);
    all.add(watch);
    return watch;
  }

  public Watch ofnGateways() {
    return ofnGateways;
  }

  public Watch k8sGateways() {
    return k8sGateways;
  }

  public Watch functions() {
    return functions;
  }

  public Watch httpRoutes() {
    return httpRoutes;
  }

  public Watch grpcRoutes() {
    return grpcRoutes;
  }

  public Watch gatewayClasses() {
    return gatewayClasses;
  }

  public Watch listenerSets() {
    return listenerSets;
  }

  public Watch namespaces() {
    return namespaces;
  }

  public Watch knativeServices() {
    return knativeServices;
  }

  /** The Services the controller writes (labelled as ours). */
  public Watch ownedServices() {
    return ownedServices;
  }

  /** Called after a kind's informer started or stopped because its CRD came or went. */
  public void onServedChange(Runnable listener) {
    servedChanges.add(listener);
  }

  /** The watches this server runs: the admission kinds, and the controller's with a controller. */
  private List<Watch> wanted() {
    return all.stream()
        .filter(w -> controller || w.kind().need() == WatchedKind.Need.ADMISSION)
        .filter(w -> openFunction || !w.kind().openFunction())
        .toList();
  }

  /**
   * One discovery pass, then every served kind's informer starts (without waiting for its list:
   * {@link #synced} says when), and the CRDs are watched for kinds that come or go. Listeners must
   * be added before.
   */
  public void start() {
    Discovery discovery = new Discovery(client);
    List<String> watching = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Watch watch : wanted()) {
      watch.seal();
      WatchedKind kind = watch.kind();
      Optional<String> version = discovery.version(kind);
      if (version.isPresent()) {
        watch.start(client, version.get());
        watching.add(kind.name() + " (" + kind.apiVersion(version.get()) + ")");
      } else {
        missing.add(kind.name() + " (" + kind.withoutIt() + ")");
      }
    }
    LOG.info(
        "informers: watching {}{}",
        String.join(", ", watching),
        missing.isEmpty()
            ? ""
            : "; not served by the cluster, watched as soon as their CRD appears: "
                + String.join(", ", missing));
    watchCrds();
  }

  /** True when every served admission kind has been listed once (readiness). */
  public boolean synced() {
    return wanted().stream()
        .filter(w -> w.kind().need() == WatchedKind.Need.ADMISSION && w.served())
        .allMatch(Watch::synced);
  }

  /** Every running informer, admission and controller, by name: listed once yet? */
  public Map<String, Boolean> syncState() {
    Map<String, Boolean> state = new LinkedHashMap<>();
    for (Watch watch : wanted()) {
      if (watch.served()) {
        state.put(watch.kind().name(), watch.synced());
      }
    }
    return state;
  }

  /** The wanted kinds the cluster does not serve (now). */
  public List<WatchedKind> missing() {
    return wanted().stream().filter(w -> !w.served()).map(Watch::kind).toList();
  }

  /**
   * For /readyz: the kinds the server needs and the cluster does not serve, and what that costs.
   */
  public Optional<String> missingWarning() {
    List<String> missing = new ArrayList<>();
    for (WatchedKind kind : missing()) {
      missing.add(kind.crdName().orElse(kind.name()) + " (" + kind.withoutIt() + ")");
    }
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of("CRDs not installed: " + String.join(", ", missing));
  }

  @Override
  public void close() {
    poller.shutdownNow();
    SharedIndexInformer<CustomResourceDefinition> watching = crds;
    if (watching != null) {
      watching.stop();
    }
    all.forEach(Watch::close);
  }

  private void watchCrds() {
    SharedIndexInformer<CustomResourceDefinition> informer =
        client.apiextensions().v1().customResourceDefinitions().runnableInformer(0);
    informer.itemStore(new CrdStore());
    // retried once it has listed; a refusal before (no RBAC for CRDs) falls back to discovery
    informer.exceptionHandler((started, failure) -> started);
    informer.addEventHandler(ChangeListener.handler(ChangeListener.any(this::crdChanged)));
    crds = informer;
    informer
        .start()
        .whenComplete(
            (done, failure) -> {
              if (failure != null && !poller.isShutdown()) {
                LOG.warn(
                    "cannot watch CustomResourceDefinitions ({}): asking discovery every {} s"
                        + " for kinds that come or go",
                    failure.getMessage(),
                    POLL.toSeconds());
                crds = null;
                informer.stop();
                poller.scheduleWithFixedDelay(
                    this::rediscover, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
              }
            });
  }

  private void crdChanged(CustomResourceDefinition crd) {
    String name = crd.getMetadata().getName();
    for (Watch watch : wanted()) {
      if (watch.kind().crdName().equals(Optional.of(name))) {
        SharedIndexInformer<CustomResourceDefinition> watching = crds;
        CustomResourceDefinition current =
            watching == null ? null : watching.getStore().getByKey(name);
        if (!CrdStore.pending(current)) { // a new CRD: its Established update follows
          settle(watch, CrdStore.servedVersion(watch.kind(), current));
        }
      }
    }
  }

  /** The discovery fallback: every CRD-backed kind started or stopped as discovery now says. */
  private void rediscover() {
    try {
      Discovery discovery = new Discovery(client);
      for (Watch watch : wanted()) {
        if (!watch.kind().builtIn()) {
          settle(watch, discovery.version(watch.kind()));
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("discovery failed, asking again in {} s: {}", POLL.toSeconds(), e.toString());
    }
  }

  private synchronized void settle(Watch watch, Optional<String> version) {
    WatchedKind kind = watch.kind();
    boolean changed;
    if (version.isPresent()) {
      changed = watch.start(client, version.get());
      if (changed) {
        LOG.info(
            "informers: {} is served now ({}): watching it",
            kind.name(),
            kind.apiVersion(version.get()));
      }
    } else {
      changed = watch.stop();
      if (changed) {
        LOG.info(
            "informers: {} is no longer served: stopped watching it ({})",
            kind.name(),
            kind.withoutIt());
      }
    }
    if (changed) {
      servedChanges.forEach(Runnable::run);
    }
  }
}
