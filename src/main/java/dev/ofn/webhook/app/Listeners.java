package dev.ofn.webhook.app;

import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.server.AdmissionServer;
import dev.ofn.webhook.server.Metrics;
import dev.ofn.webhook.server.ProbeServer;
import dev.ofn.webhook.server.Readiness;
import dev.ofn.webhook.tls.CertBundle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTPS listener of the webhooks and the HTTP listener of the probes and metrics. */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private final ServeConfig config;
  private final AdmissionServer admission;
  private final ProbeServer probes;

  private Listeners(ServeConfig config, AdmissionServer admission, ProbeServer probes) {
    this.config = config;
    this.admission = admission;
    this.probes = probes;
  }

  /**
   * Listens on both ports; a port that cannot be had (in use, not allowed) fails with a message
   * naming address and port.
   */
  static Listeners start(
      ServeConfig config,
      Vertx vertx,
      Map<Endpoint, ReviewHandler> handlers,
      ServingCertificates certificates,
      Readiness readiness,
      Metrics metrics,
      Steps steps)
      throws Exception {
    Listeners listeners =
        new Listeners(
            config,
            new AdmissionServer(
                vertx,
                new AdmissionServer.Options(config.host(), config.port(), config.http2()),
                handlers,
                metrics),
            new ProbeServer(vertx, config.host(), config.probePort(), readiness, metrics::scrape));
    steps.started("listeners", listeners::stop);
    listeners.listen(
        "the webhooks (--port)",
        config.port(),
        () -> listeners.admission.start(certificates.serving()));
    listeners.listen("the probes (--probe-port)", config.probePort(), listeners.probes::start);
    certificates.onRenewal(listeners::reload);
    LOG.info(
        "serving admission webhooks on https://{}:{} (HTTP/2 {}), probes on http://{}:{}",
        config.host(),
        listeners.admission.port(),
        config.http2() ? "on" : "off",
        config.host(),
        listeners.probes.port());
    return listeners;
  }

  private void listen(String what, int port, Supplier<Future<?>> start) throws Exception {
    try {
      await(start.get().toCompletionStage().toCompletableFuture());
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot listen on " + config.host() + ":" + port + " for " + what + ": " + e.getMessage(),
          e);
    }
  }

  int port() {
    return admission.port();
  }

  int probePort() {
    return probes.port();
  }

  /** A new certificate from the Secret or the mounted files: swapped in place. */
  private void reload(CertBundle bundle) {
    admission
        .reload(ServingCertificates.serving(bundle))
        .onComplete(
            done -> {
              if (done.succeeded()) {
                LOG.info("serving the renewed certificate (valid until {})", bundle.notAfter());
              } else {
                LOG.error("could not load the renewed certificate: {}", done.cause().toString());
              }
            });
  }

  private void stop() {
    try {
      await(admission.shutdown(Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture());
      await(probes.close().toCompletionStage().toCompletableFuture());
    } catch (Exception e) {
      LOG.warn("stopping the servers: {}", e.getMessage());
    }
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
