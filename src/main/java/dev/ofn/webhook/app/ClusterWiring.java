package dev.ofn.webhook.app;

import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.cluster.ClusterGatewayCatalog;
import dev.ofn.webhook.cluster.ConflictIndexFeed;
import dev.ofn.webhook.cluster.Informers;
import dev.ofn.webhook.controller.Controller;
import dev.ofn.webhook.controller.ControllerMetrics;
import dev.ofn.webhook.controller.Leadership;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.server.Metrics;
import dev.ofn.webhook.server.Readiness;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a server with a cluster runs besides its listeners: the informers (gateways, namespaces,
 * stored routes into the conflict index), the leader election, and on the leader the controller.
 */
final class ClusterWiring {
  private final KubernetesClient client;
  private final ServeConfig config;
  private final Metrics metrics;
  private final Steps steps;
  private final Informers informers;
  final ClusterGatewayCatalog catalog;
  final Leadership leadership;

  private ClusterWiring(
      KubernetesClient client,
      ServeConfig config,
      Metrics metrics,
      Steps steps,
      Informers informers,
      ClusterGatewayCatalog catalog,
      Leadership leadership) {
    this.client = client;
    this.informers = informers;
    this.config = config;
    this.metrics = metrics;
    this.steps = steps;
    this.catalog = catalog;
    this.leadership = leadership;
  }

  /**
   * The informers' owner and the gateway catalog over it (the informers start in {@link #feed},
   * once every listener is added); the leader election, made (started by {@link #lead}).
   */
  static ClusterWiring start(
      KubernetesClient client,
      ServeConfig config,
      String namespace,
      Readiness readiness,
      Metrics metrics,
      Steps steps) {
    Informers informers = new Informers(client, config.controller(), config.openFunction());
    steps.started("informers", informers::close);
    readiness.add("informers", informers::synced);
    readiness.warnWhen("informers", informers::missingWarning);
    // every informer, admission and controller, in one gauge
    metrics.gauge(
        "ofn_webhook_informer_synced",
        "1 when the informer has listed its resources",
        "informer",
        () -> {
          Map<String, Double> state = new LinkedHashMap<>();
          informers.syncState().forEach((name, synced) -> state.put(name, synced ? 1.0 : 0.0));
          return state;
        });
    ClusterGatewayCatalog catalog = new ClusterGatewayCatalog(client, informers);
    Leadership leadership =
        new Leadership(
            client,
            namespace,
            config.leaseName(),
            Leadership.defaultIdentity(),
            Leadership.Timing.DEFAULT);
    readiness.warnWhen("leader election", leadership::problem);
    metrics.gauge(
        "ofn_webhook_leader_election_failing",
        "1 while the Lease cannot be read or written (then no replica leads, nothing is written)",
        () -> leadership.problem().isPresent() ? 1 : 0);
    return new ClusterWiring(client, config, metrics, steps, informers, catalog, leadership);
  }

  /**
   * Campaigns for the Lease, when something needs a leader: the controller, or our own certificate
   * Secret. Stopped after the controller (it releases the Lease).
   */
  void lead(boolean certificatesNeedALeader) {
    if (config.controller() || certificatesNeedALeader) {
      steps.started("leader election", leadership::close);
      leadership.start();
    }
  }

  /**
   * Stored routes into the conflict index; with {@code --controller}, the writers; then the
   * informers start, every listener being added.
   */
  void feed(ConflictIndex index, Webhooks webhooks) {
    ConflictIndexFeed feed =
        new ConflictIndexFeed(
            client,
            informers,
            index,
            webhooks.conflicts().routeKeys(),
            webhooks.conflicts().ownership());
    metrics.gauge(
        "ofn_webhook_hostname_ownership_violations",
        "Stored routes whose hostname another namespace owns (gateways in namespace mode)",
        feed::ownershipViolations);
    steps.started("route informers", feed::close);
    feed.start();
    if (config.controller()) {
      startController(index, webhooks);
    }
    informers.start();
  }

  // every replica campaigns for the Lease; the leader's controller writes
  private void startController(ConflictIndex index, Webhooks webhooks) {
    Controller controller =
        new Controller(
            client,
            informers,
            catalog,
            index,
            webhooks.conflicts().routeKeys(),
            leadership,
            Controller.Settings.DEFAULT.withFunctionWorkers(config.controllerWorkers()),
            new ControllerMetrics(metrics.registry()),
            webhooks.conflicts().ownership());
    steps.started("controller", controller::close);
    controller.start();
    metrics.gauge(
        "ofn_webhook_leader",
        "1 while this replica holds the leader Lease",
        () -> leadership.isLeader() ? 1 : 0);
    metrics.gauge(
        "ofn_webhook_controller_queue_depth",
        "Objects queued or being reconciled",
        controller::queueDepth);
    metrics.gauge(
        "ofn_webhook_controller_failing_objects",
        "Objects whose last reconcile failed, retrying with backoff",
        controller::failing);
    metrics.gauge(
        "ofn_webhook_shadowed_routes",
        "Route keys held by an older route, so the younger claimant gets no traffic (audited every"
            + " 30 s), by the younger claimant's kind",
        "kind",
        () -> {
          Map<String, Double> byKind = new LinkedHashMap<>();
          controller.shadowedRoutes().forEach((kind, n) -> byKind.put(kind, n.doubleValue()));
          return byKind;
        });
  }
}
