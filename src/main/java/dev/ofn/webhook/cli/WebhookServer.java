package dev.ofn.webhook.cli;

import dev.ofn.webhook.admission.AdmissionServer;
import dev.ofn.webhook.admission.Metrics;
import dev.ofn.webhook.admission.ProbeServer;
import dev.ofn.webhook.admission.Readiness;
import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.admission.ServingCert;
import dev.ofn.webhook.controller.ConflictIndexFeed;
import dev.ofn.webhook.controller.Controller;
import dev.ofn.webhook.controller.Leadership;
import dev.ofn.webhook.gateways.ClusterGatewayCatalog;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.tls.CertBundle;
import dev.ofn.webhook.tls.CertFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code webhook serve}: picks cluster or standalone mode, loads certificates,
 * builds the catalog, the conflict index and the handlers, and starts the HTTPS and probe servers on
 * one shared Vert.x instance (also used by the fabric8 client).
 */
public final class WebhookServer {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  private final ServeConfig config;
  private final Vertx vertx;
  private final Readiness readiness = new Readiness();
  private final Metrics metrics = new Metrics();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private AdmissionServer admission;
  private ProbeServer probes;
  private volatile CertBundle certificate;

  private WebhookServer(ServeConfig config) {
    this.config = config;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
  }

  static WebhookServer start(ServeConfig config) throws Exception {
    WebhookServer server = new WebhookServer(config);
    try {
      server.startAll();
    } catch (Exception e) {
      server.stopNow();
      throw e;
    }
    return server;
  }

  private void startAll() throws Exception {
    Optional<KubernetesClient> client = config.standalone()
        ? Optional.empty()
        : ClusterConnection.connect(vertx, config.kubeconfig());
    client.ifPresent(closeables::add);
    GatewayCatalog catalog = client.<GatewayCatalog>map(this::clusterCatalog).orElseGet(() -> {
      LOG.info("standalone: built-in default OFN Gateway openfunction/openfunction, in-memory conflict index");
      return StaticGatewayCatalog.builtIn();
    });

    ConflictIndex index = new ConflictIndex();
    certificate = CertFiles.ensure(config.certsDir(), config.certDns(), config.certIps(), Clock.systemUTC());
    readiness.add("certificates", () -> certificate != null);
    metrics.gauge("ofn_webhook_certificate_expiry_timestamp_seconds", "Serving certificate notAfter (Unix time)",
        () -> certificate.notAfter().getEpochSecond());

    Webhooks webhooks = new Webhooks(catalog, index, new Webhooks.Settings(config.persistGeneratedRoute(), client.isEmpty()));
    metrics.gauge("ofn_webhook_conflict_index_routes", "Route keys held in the conflict index",
        () -> webhooks.indexedKeys());
    client.ifPresent(kube -> {
      ConflictIndexFeed feed = feedIndex(kube, index, webhooks, (ClusterGatewayCatalog) catalog);
      if (config.controller()) {
        startController(kube, (ClusterGatewayCatalog) catalog, feed, index, webhooks);
      }
    });
    admission = new AdmissionServer(vertx, new AdmissionServer.Options(config.host(), config.port(), config.http2()),
        webhooks.handlers(), metrics);
    probes = new ProbeServer(vertx, config.host(), config.probePort(), readiness, metrics::scrape);
    await(admission.start(serving(certificate)).toCompletionStage().toCompletableFuture());
    await(probes.start().toCompletionStage().toCompletableFuture());
    LOG.info("serving admission webhooks on https://{}:{} (HTTP/2 {}), probes on http://{}:{}",
        config.host(), admission.port(), config.http2() ? "on" : "off", config.host(), probes.port());
  }

  private ClusterGatewayCatalog clusterCatalog(KubernetesClient client) {
    ClusterGatewayCatalog catalog = new ClusterGatewayCatalog(client);
    catalog.start();
    closeables.add(catalog);
    readiness.add("informers", catalog::synced);
    metrics.gauge("ofn_webhook_informer_synced", "1 when the informer has listed its resources", "informer",
        () -> {
          java.util.Map<String, Double> state = new java.util.LinkedHashMap<>();
          catalog.syncState().forEach((name, synced) -> state.put(name, synced ? 1.0 : 0.0));
          return state;
        });
    return catalog;
  }

  private ConflictIndexFeed feedIndex(KubernetesClient client, ConflictIndex index, Webhooks webhooks,
      ClusterGatewayCatalog catalog) {
    ConflictIndexFeed feed = new ConflictIndexFeed(client, index, webhooks.conflicts().routeKeys());
    feed.start();
    closeables.add(feed);
    catalog.onChange(feed::rekeyAll);
    readiness.add("route informers", feed::synced);
    return feed;
  }

  // ---- controller (issue 5): every replica campaigns for the Lease; the leader's controller writes ----
  private void startController(KubernetesClient client, ClusterGatewayCatalog catalog, ConflictIndexFeed feed,
      ConflictIndex index, Webhooks webhooks) {
    Leadership leadership = new Leadership(client, config.namespace(), config.leaseName(), Leadership.defaultIdentity(),
        Leadership.Timing.DEFAULT);
    Controller controller = new Controller(client, catalog, feed, index, webhooks.conflicts().routeKeys(), leadership,
        Controller.Settings.DEFAULT);
    controller.start();
    leadership.start();
    // Closed first (before the client): the workers stop, then the Lease is released for the next leader.
    closeables.add(0, leadership);
    closeables.add(0, controller);
    metrics.gauge("ofn_webhook_leader", "1 while this replica holds the leader Lease", () -> leadership.isLeader() ? 1 : 0);
    metrics.gauge("ofn_webhook_controller_queue_depth", "Objects queued or being reconciled", controller::queueDepth);
    metrics.gauge("ofn_webhook_controller_failing_objects", "Objects whose last reconcile failed, retrying with backoff",
        controller::failing);
  }
  // ---- end of controller wiring ----

  static ServingCert serving(CertBundle bundle) {
    return new ServingCert(bundle.certPem(), bundle.keyPem());
  }

  public int port() {
    return admission.port();
  }

  public int probePort() {
    return probes.port();
  }

  /** SIGTERM: fail readiness at once, keep answering for the grace period, then stop. */
  void drainAndStop() {
    readiness.drain();
    LOG.info("shutting down: /readyz fails now, still answering for {}", config.shutdownGrace());
    sleep(config.shutdownGrace());
    stopNow();
  }

  void stopNow() {
    try {
      if (admission != null) {
        await(admission.shutdown(Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture());
      }
      if (probes != null) {
        await(probes.close().toCompletionStage().toCompletableFuture());
      }
    } catch (Exception e) {
      LOG.warn("stopping the servers: {}", e.getMessage());
    }
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("closing {}: {}", closeable, e.getMessage());
      }
    }
    vertx.close();
    stopped.countDown();
  }

  void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
