package dev.ofn.webhook.app;

import dev.ofn.webhook.controller.Leadership;
import dev.ofn.webhook.server.ServingCert;
import dev.ofn.webhook.tls.CertBundle;
import dev.ofn.webhook.tls.CertDirWatcher;
import dev.ofn.webhook.tls.CertFiles;
import dev.ofn.webhook.tls.CertSettings;
import dev.ofn.webhook.tls.ClusterCertificates;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The serving certificate, from where the mode says: standalone or {@code --register-url} (a server
 * outside the cluster): files in {@code --cert-dir}; in a cluster: cert-manager's mounted Secret,
 * or (self) our own Secret, written by the leader. A renewed one goes to {@link #onRenewal}.
 */
final class ServingCertificates {
  private final ServeConfig config;
  private volatile CertBundle current;
  private volatile Consumer<CertBundle> renewal = bundle -> {};
  private ClusterCertificates selfManaged;

  private ServingCertificates(ServeConfig config) {
    this.config = config;
  }

  /**
   * Loads or starts watching the certificates; with our own Secret, only once {@link
   * #awaitSelfManaged} returns is there one.
   */
  static ServingCertificates start(
      ServeConfig config,
      Optional<KubernetesClient> client,
      String namespace,
      Optional<Leadership> leadership,
      Steps steps) {
    ServingCertificates certificates = new ServingCertificates(config);
    Clock clock = Clock.systemUTC();
    if (client.isEmpty() || config.registerUrl() != null) {
      certificates.current =
          CertFiles.ensure(config.certsDir(), config.certDns(), config.certIps(), clock);
    } else if (!selfManaged(config, client)) {
      CertDirWatcher watcher =
          new CertDirWatcher(
              config.certsDir(), Duration.ofSeconds(10), clock, certificates::renewed);
      steps.started("certificate folder watch", watcher::close);
      certificates.current =
          watcher
              .start()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no certificate in "
                              + config.certsDir()
                              + ": is the cert-manager Secret mounted there?"));
    } else {
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
              certificates::renewed);
      steps.started("certificate Secret", certs::close);
      certs.start();
      // called on the elector's thread; both calls only schedule work on the certificates' thread
      leadership
          .orElseThrow()
          .addListener(
              leading -> {
                if (leading) {
                  certs.startLeading();
                } else {
                  certs.stopLeading();
                }
              });
      certificates.selfManaged = certs;
    }
    return certificates;
  }

  /** In a cluster with {@code --cert-mode=self}: our Secret, written by the leader. */
  static boolean selfManaged(ServeConfig config, Optional<KubernetesClient> client) {
    return client.isPresent()
        && config.registerUrl() == null
        && !"cert-manager".equals(config.certMode());
  }

  /** With our own Secret: waits (at most 5 minutes) until the leader has written it. */
  void awaitSelfManaged(String namespace) throws InterruptedException {
    if (selfManaged == null) {
      return;
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (selfManaged.current().isEmpty()) {
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
    current = selfManaged.current().get();
  }

  /** The certificate served now; null until there is one. */
  CertBundle current() {
    return current;
  }

  ServingCert serving() {
    return serving(current);
  }

  static ServingCert serving(CertBundle bundle) {
    return new ServingCert(bundle.certPem(), bundle.keyPem());
  }

  /** Where a renewed certificate goes (the listeners reload it in place). */
  void onRenewal(Consumer<CertBundle> consumer) {
    renewal = consumer;
  }

  private void renewed(CertBundle bundle) {
    current = bundle;
    renewal.accept(bundle);
  }
}
