package dev.ofn.webhook.cli;

import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.cluster.ClusterGatewayCatalog;
import dev.ofn.webhook.cluster.ConflictIndexFeed;
import dev.ofn.webhook.cluster.Informers;
import dev.ofn.webhook.controller.Controller;
import dev.ofn.webhook.controller.ControllerMetrics;
import dev.ofn.webhook.controller.Leadership;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.server.AdmissionServer;
import dev.ofn.webhook.server.Metrics;
import dev.ofn.webhook.server.ProbeServer;
import dev.ofn.webhook.server.Readiness;
import dev.ofn.webhook.server.ServingCert;
import dev.ofn.webhook.server.WarmUp;
import dev.ofn.webhook.tls.CertBundle;
import dev.ofn.webhook.tls.CertDirWatcher;
import dev.ofn.webhook.tls.CertFiles;
import dev.ofn.webhook.tls.CertSettings;
import dev.ofn.webhook.tls.ClusterCertificates;
import dev.ofn.webhook.tls.Registration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code webhook serve}: picks cluster or standalone mode, loads
 * certificates, builds the catalog, the conflict index and the handlers, and starts the HTTPS and
 * probe servers on one shared Vert.x instance (also used by the fabric8 client).
 */
public final class WebhookServer {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  private final ServeConfig config;
  private final Vertx vertx;
  private final Readiness readiness = new Readiness();
  private final Metrics metrics = new Metrics();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile AdmissionServer admission;
  private Leadership leadership;
  private boolean leadershipStarted;
  private ProbeServer probes;
  private volatile CertBundle certificate;
  private volatile Thread warmUpThread;

  /** {@code --namespace}, or where it defaults to: see {@link #namespace(Optional)}. */
  private String namespace;

  private WebhookServer(ServeConfig config) {
    this.config = config;
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
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
    Optional<KubernetesClient> client =
        config.standalone()
            ? Optional.empty()
            : ClusterConnection.connect(vertx, config.kubeconfig());
    client.ifPresent(closeables::add);
    namespace = namespace(client);
    Optional<Informers> informers = client.map(this::informers);
    Optional<ClusterGatewayCatalog> clusterCatalog =
        client.map(kube -> new ClusterGatewayCatalog(kube, informers.orElseThrow()));
    GatewayCatalog catalog =
        clusterCatalog
            .<GatewayCatalog>map(c -> c)
            .orElseGet(
                () -> {
                  LOG.info(
                      "standalone: built-in default OFN Gateway openfunction/openfunction, in-memory conflict index");
                  return StaticGatewayCatalog.builtIn();
                });

    ConflictIndex index = new ConflictIndex();
    client.ifPresent(
        kube -> {
          leadership =
              new Leadership(
                  kube,
                  namespace,
                  config.leaseName(),
                  Leadership.defaultIdentity(),
                  Leadership.Timing.DEFAULT);
          Leadership elected = leadership;
          readiness.warnWhen("leader election", elected::problem);
          metrics.gauge(
              "ofn_webhook_leader_election_failing",
              "1 while the Lease cannot be read or written (then no replica leads, nothing is written)",
              () -> elected.problem().isPresent() ? 1 : 0);
        });
    certificate = certificates(client);
    readiness.add("certificates", () -> certificate != null);
    metrics.gauge(
        "ofn_webhook_certificate_expiry_timestamp_seconds",
        "Serving certificate notAfter (Unix time)",
        () -> certificate.notAfter().getEpochSecond());

    Webhooks webhooks =
        new Webhooks(
            catalog,
            index,
            new Webhooks.Settings(
                config.persistGeneratedRoute(), client.isEmpty(), config.hostnameOwnership()));
    metrics.gauge(
        "ofn_webhook_conflict_index_routes",
        "Route keys held in the conflict index",
        () -> webhooks.indexedKeys());
    client.ifPresent(
        kube -> {
          Informers watched = informers.orElseThrow();
          feedIndex(kube, watched, index, webhooks);
          if (config.controller()) {
            startController(kube, watched, clusterCatalog.orElseThrow(), index, webhooks);
          }
          watched.start(); // every listener is added: the informers start
        });
    Map<Endpoint, ReviewHandler> handlers = webhooks.handlers();
    admission =
        new AdmissionServer(
            vertx,
            new AdmissionServer.Options(config.host(), config.port(), config.http2()),
            handlers,
            metrics);
    probes = new ProbeServer(vertx, config.host(), config.probePort(), readiness, metrics::scrape);
    await(admission.start(serving(certificate)).toCompletionStage().toCompletableFuture());
    await(probes.start().toCompletionStage().toCompletableFuture());
    LOG.info(
        "serving admission webhooks on https://{}:{} (HTTP/2 {}), probes on http://{}:{}",
        config.host(),
        admission.port(),
        config.http2() ? "on" : "off",
        config.host(),
        probes.port());
    warmUp(handlers);
  }

  /**
   * Fast from the first request ({@link WarmUp}): once every other readiness check passes (the
   * informers' caches decide which reviews can run without a live API read), the server answers
   * {@code OFN_WEBHOOK_WARMUP} rounds of dry-run reviews straight through its handlers (default
   * {@value #WARM_UP_ROUNDS}; 0: no warm-up at all) for at most {@code OFN_WEBHOOK_WARMUP_BUDGET}
   * (default 1s) and only then reports ready; then, in the background, {@code
   * OFN_WEBHOOK_WARMUP_HTTPS} rounds over HTTPS (TLS, HTTP/2: a private listener; default 0) and
   * {@code OFN_WEBHOOK_WARMUP_AFTER} (default {@value #WARM_UP_AFTER_ROUNDS}) straight through the
   * handlers at half duty.
   */
  private void warmUp(Map<Endpoint, ReviewHandler> handlers) {
    int rounds = setting("ofn.webhook.warmup", "OFN_WEBHOOK_WARMUP", WARM_UP_ROUNDS);
    if (rounds <= 0) {
      return;
    }
    int after =
        setting("ofn.webhook.warmup.after", "OFN_WEBHOOK_WARMUP_AFTER", WARM_UP_AFTER_ROUNDS);
    Duration budget = warmUpBudget();
    AtomicBoolean warm = new AtomicBoolean();
    readiness.add("warm-up", warm::get);
    Thread thread =
        dev.ofn.webhook.Daemons.thread(
            "ofn-warm-up",
            () -> {
              try {
                while (!List.of("warm-up").equals(readiness.failing())) {
                  if (stopped.getCount() == 0 || readiness.failing().contains("shutting down")) {
                    return;
                  }
                  Thread.sleep(20);
                }
                WarmUp.Result result =
                    WarmUp.run(
                        vertx, handlers, serving(certificate), config.http2(), 0, rounds, budget);
                LOG.info(
                    "warm-up: {} dry-run reviews ({} over HTTPS) in {} ms{}{}",
                    result.direct() + result.overTheWire(),
                    result.overTheWire(),
                    result.millis(),
                    result.failed() > 0 ? ", " + result.failed() + " not answered 200" : "",
                    result.timedOut() ? " (budget of " + budget.toMillis() + " ms reached)" : "");
                warm.set(true);
                if (after > 0) {
                  long start = System.nanoTime();
                  // over HTTPS only when asked: a Vert.x client in this process shares Netty's call
                  // sites with the server and makes them megamorphic (saturation throughput fell
                  // to a third with 260 such reviews)
                  WarmUp.Result wire =
                      WarmUp.run(
                          vertx,
                          handlers,
                          serving(certificate),
                          config.http2(),
                          setting("ofn.webhook.warmup.https", "OFN_WEBHOOK_WARMUP_HTTPS", 0),
                          0,
                          WarmUp.WIRE_CAP);
                  int reviews = WarmUp.background(handlers, after);
                  LOG.info(
                      "warm-up after ready: {} reviews over HTTPS, {} more direct, in {} ms",
                      wire.overTheWire(),
                      reviews,
                      TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                LOG.warn("warm-up failed, serving unwarmed: {}", e.toString());
              } finally {
                warm.set(true);
              }
            });
    warmUpThread = thread;
    thread.start();
  }

  static final int WARM_UP_ROUNDS = 40;
  static final int WARM_UP_AFTER_ROUNDS = 400;

  /** A count from the system property (tests set 0) or else the environment variable. */
  private static int setting(String property, String variable, int fallback) {
    String value = System.getProperty(property, System.getenv(variable));
    try {
      return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      LOG.warn("{}={}: not a number, using {}", variable, value, fallback);
      return fallback;
    }
  }

  private static Duration warmUpBudget() {
    String value = System.getenv("OFN_WEBHOOK_WARMUP_BUDGET");
    if (value == null || value.isBlank()) {
      return Duration.ofSeconds(1);
    }
    try {
      return new Durations().convert(value.strip());
    } catch (RuntimeException e) {
      LOG.warn("OFN_WEBHOOK_WARMUP_BUDGET={}: not a duration, using 1s", value);
      return Duration.ofSeconds(1);
    }
  }

  /**
   * Where the Lease and the certificate Secret live: {@code --namespace} (or {@code
   * OFN_WEBHOOK_NAMESPACE}), else {@code POD_NAMESPACE} (the Deployment sets it); else, for a
   * server outside the cluster ({@code --register-url}), the kubeconfig context's namespace, which
   * exists (usually {@code default}), so that local development elects a leader and writes routes;
   * else {@value #DEFAULT_NAMESPACE}.
   */
  private String namespace(Optional<KubernetesClient> client) {
    if (config.namespace() != null && !config.namespace().isBlank()) {
      return config.namespace();
    }
    String pod = System.getenv("POD_NAMESPACE");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    if (config.registerUrl() != null && client.isPresent()) {
      String context = client.get().getNamespace();
      String chosen = context == null || context.isBlank() ? "default" : context;
      LOG.info(
          "namespace {} (the kubeconfig context's) holds the leader-election Lease; --namespace "
              + "to choose another",
          chosen);
      return chosen;
    }
    return DEFAULT_NAMESPACE;
  }

  static final String DEFAULT_NAMESPACE = "ofn-webhook-system";

  /** The cluster informers: every one in the sync gauge, the admission ones in readiness. */
  private Informers informers(KubernetesClient client) {
    Informers informers = new Informers(client, config.controller());
    closeables.add(informers);
    readiness.add("informers", informers::synced);
    readiness.warnWhen("informers", informers::missingWarning);
    metrics.gauge(
        "ofn_webhook_informer_synced",
        "1 when the informer has listed its resources",
        "informer",
        () -> {
          java.util.Map<String, Double> state = new java.util.LinkedHashMap<>();
          informers.syncState().forEach((name, synced) -> state.put(name, synced ? 1.0 : 0.0));
          return state;
        });
    return informers;
  }

  private void feedIndex(
      KubernetesClient client, Informers informers, ConflictIndex index, Webhooks webhooks) {
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
    feed.start();
    closeables.add(feed);
  }

  /**
   * Standalone or {@code --register-url} (a server outside the cluster): files in {@code
   * --cert-dir}, and with a cluster our webhook configurations registered with that URL and our CA.
   * In a cluster: cert-manager's mounted Secret, or (self) our own Secret, written by the leader.
   */
  private CertBundle certificates(Optional<KubernetesClient> client) throws Exception {
    Clock clock = Clock.systemUTC();
    if (client.isEmpty() || config.registerUrl() != null) {
      CertBundle bundle =
          CertFiles.ensure(config.certsDir(), config.certDns(), config.certIps(), clock);
      client.ifPresent(
          kube -> {
            Registration.register(
                kube,
                config.mutatingConfig(),
                config.validatingConfig(),
                config.registerUrl(),
                bundle.caCertPem());
            LOG.info(
                "registered webhook configurations {} / {} at {}",
                config.mutatingConfig(),
                config.validatingConfig(),
                config.registerUrl());
          });
      if (config.controller()) {
        startLeadership(); // only the controller needs a leader: the certificates are files here
      }
      return bundle;
    }
    if ("cert-manager".equals(config.certMode())) {
      CertDirWatcher watcher =
          new CertDirWatcher(config.certsDir(), Duration.ofSeconds(10), clock, this::rotate);
      closeables.add(watcher);
      if (config.controller()) {
        startLeadership(); // cert-manager writes the certificates: only the controller needs a
        // leader
      }
      return watcher
          .start()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no certificate in "
                          + config.certsDir()
                          + ": is the cert-manager Secret mounted there?"));
    }
    ClusterCertificates certs =
        new ClusterCertificates(
            client.get(),
            new CertSettings(
                namespace,
                config.certSecret(),
                config.serviceName(),
                config.mutatingConfig(),
                config.validatingConfig(),
                Duration.ofSeconds(30)),
            clock,
            this::rotate);
    closeables.add(certs);
    certs.start();
    // called on the elector's thread; both calls only schedule work on the certificates' own thread
    leadership.addListener(
        leading -> {
          if (leading) {
            certs.startLeading();
          } else {
            certs.stopLeading();
          }
        });
    startLeadership();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (certs.current().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no serving certificate in Secret "
                + namespace
                + "/"
                + config.certSecret()
                + " after 5 minutes: is a leader elected (Lease "
                + config.leaseName()
                + ")?");
      }
      Thread.sleep(200);
    }
    return certs.current().get();
  }

  private void startLeadership() {
    if (leadership != null && !leadershipStarted) {
      leadershipStarted = true;
      closeables.add(leadership);
      leadership.start();
    }
  }

  /**
   * A new certificate from the Secret or the mounted files: swapped into the running server in
   * place.
   */
  private void rotate(CertBundle bundle) {
    certificate = bundle;
    AdmissionServer server = admission;
    if (server != null) {
      server
          .reload(serving(bundle))
          .onComplete(
              done -> {
                if (done.succeeded()) {
                  LOG.info("serving the renewed certificate (valid until {})", bundle.notAfter());
                } else {
                  LOG.error("could not load the renewed certificate: {}", done.cause().toString());
                }
              });
    }
  }

  // ---- controller (issue 5): every replica campaigns for the Lease; the leader's controller
  // writes ----
  private void startController(
      KubernetesClient client,
      Informers informers,
      ClusterGatewayCatalog catalog,
      ConflictIndex index,
      Webhooks webhooks) {
    Controller controller =
        new Controller(
            client,
            informers,
            catalog,
            index,
            webhooks.conflicts().routeKeys(),
            leadership,
            Controller.Settings.DEFAULT,
            new ControllerMetrics(metrics.registry()),
            webhooks.conflicts().ownership());
    controller.start();
    // Closed in reverse order of creation: the workers stop before the Lease is released, the
    // client last.
    closeables.add(controller);
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
        "Route keys held by an older route, so the younger claimant gets no traffic (audited every 30 s)",
        controller::shadowedRoutes);
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
    LOG.info(
        "shutting down: /readyz fails now, still answering for {}",
        dev.ofn.webhook.DurationText.format(config.shutdownGrace()));
    sleep(config.shutdownGrace());
    stopNow();
  }

  void stopNow() {
    Thread warming = warmUpThread;
    if (warming != null) {
      warming.interrupt();
    }
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
    // reverse order of creation: writers before the Lease, informers before the client
    for (AutoCloseable closeable : reversed(closeables)) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("closing {}: {}", closeable, e.getMessage());
      }
    }
    vertx.close();
    stopped.countDown();
  }

  private static List<AutoCloseable> reversed(List<AutoCloseable> list) {
    List<AutoCloseable> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
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
