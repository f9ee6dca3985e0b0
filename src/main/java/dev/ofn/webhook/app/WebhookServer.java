package dev.ofn.webhook.app;

import dev.ofn.webhook.DurationText;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.cluster.ClusterConnection;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.server.Metrics;
import dev.ofn.webhook.server.Readiness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code webhook serve}, put together: the set-up steps in their one start order ({@link
 * #startSteps}), each leaving its stop with {@link Steps}, which stops them in reverse. Cluster or
 * standalone, the HTTPS and probe listeners share one Vert.x instance with the fabric8 client.
 */
public final class WebhookServer {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  private final ServeConfig config;
  private final Steps steps = new Steps();
  private final Readiness readiness = new Readiness();
  private final Metrics metrics = new Metrics();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile Listeners listeners;

  private WebhookServer(ServeConfig config) {
    this.config = config;
  }

  /** Starts every step, or (one failed) stops what had started and throws. */
  public static WebhookServer start(ServeConfig config) throws Exception {
    WebhookServer server = new WebhookServer(config);
    try {
      server.startSteps();
    } catch (Exception e) {
      server.stopNow();
      throw e;
    }
    return server;
  }

  private void startSteps() throws Exception {
    Vertx vertx = vertx();
    Optional<KubernetesClient> client = connect(vertx);
    String namespace = LeaseNamespace.choose(config, client);
    Optional<ClusterWiring> cluster =
        client.map(kube -> ClusterWiring.start(kube, config, namespace, readiness, metrics, steps));
    ServingCertificates certificates =
        ServingCertificates.start(config, client, namespace, cluster.map(c -> c.leadership), steps);
    cluster.ifPresent(c -> c.lead(ServingCertificates.selfManaged(config, client)));
    certificates.awaitSelfManaged(namespace);
    readiness.add("certificates", () -> certificates.current() != null);
    metrics.gauge(
        "ofn_webhook_certificate_expiry_timestamp_seconds",
        "Serving certificate notAfter (Unix time)",
        () -> certificates.current().notAfter().getEpochSecond());

    ConflictIndex index = new ConflictIndex();
    Webhooks webhooks = webhooks(cluster, index);
    cluster.ifPresent(c -> c.feed(index, webhooks));
    Optional<LocalRegistration> registration =
        client
            .filter(kube -> config.registerUrl() != null)
            .map(kube -> LocalRegistration.prepare(config, kube, steps));
    Map<Endpoint, ReviewHandler> handlers = webhooks.handlers();
    listeners = Listeners.start(config, vertx, handlers, certificates, readiness, metrics, steps);
    registration.ifPresent(r -> r.register(certificates.current().caCertPem()));
    WarmUpRun.start(config, vertx, handlers, certificates, readiness, steps);
  }

  private Vertx vertx() {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
    steps.started("vert.x", vertx::close);
    return vertx;
  }

  private Optional<KubernetesClient> connect(Vertx vertx) {
    Optional<KubernetesClient> client =
        config.standalone()
            ? Optional.empty()
            : ClusterConnection.connect(vertx, config.kubeconfig());
    client.ifPresent(kube -> steps.started("kubernetes client", kube::close));
    if (client.isEmpty() && config.registerUrl() != null) {
      // serving standalone would register nothing: the apiserver would never call this server
      throw new IllegalStateException(
          "--register-url "
              + config.registerUrl()
              + " needs a cluster to register with: "
              + (config.standalone() ? "--standalone says there is none" : "none reachable"));
    }
    return client;
  }

  private Webhooks webhooks(Optional<ClusterWiring> cluster, ConflictIndex index) {
    GatewayCatalog catalog =
        cluster
            .<GatewayCatalog>map(c -> c.catalog)
            .orElseGet(
                () -> {
                  LOG.info(
                      "standalone: built-in default OFN Gateway openfunction/openfunction, in-memory conflict index");
                  return StaticGatewayCatalog.builtIn();
                });
    Webhooks webhooks =
        new Webhooks(
            catalog,
            index,
            new Webhooks.Settings(
                config.persistGeneratedRoute(),
                cluster.isEmpty(),
                config.hostnameOwnership(),
                config.defaultRoutePolicy()));
    metrics.gauge(
        "ofn_webhook_conflict_index_routes",
        "Route keys held in the conflict index",
        () -> webhooks.indexedKeys());
    return webhooks;
  }

  public int port() {
    return listeners.port();
  }

  public int probePort() {
    return listeners.probePort();
  }

  /** SIGTERM: fail readiness at once, keep answering for the grace period, then stop. */
  public void drainAndStop() {
    readiness.drain();
    LOG.info(
        "shutting down: /readyz fails now, still answering for {}",
        DurationText.format(config.shutdownGrace()));
    sleep(config.shutdownGrace());
    stopNow();
  }

  /** Stops every step, newest first, once (a second call, as from a test's close, does nothing). */
  public void stopNow() {
    if (stopping.compareAndSet(false, true)) {
      steps.stopAll();
      stopped.countDown();
    }
  }

  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
