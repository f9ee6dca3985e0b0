package dev.ofn.webhook.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CertWatcherTest {
  static KubernetesClient client;

  @Test
  void deliversEachNewServableBundleAndRefusesBrokenOnes() {
    CertSettings settings = TlsFixtures.settings("watch-ns");
    Sans sans = settings.sans();
    List<CertBundle> delivered = new CopyOnWriteArrayList<>();
    CertificateAuthority ca = CertificateAuthority.generate(Clock.systemUTC());
    CertBundle first = ca.issue(sans);
    try (CertWatcher watcher =
        new CertWatcher(client, settings, Clock.systemUTC(), delivered::add, () -> {})) {
      watcher.start();
      client
          .resource(
              CertSecret.encode(
                  StoredCerts.of(first), null, settings.namespace(), settings.secretName()))
          .create();
      await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() == 1);
      assertEquals(first, delivered.get(0));

      // A broken update (key of another certificate) is not served; the first bundle stays.
      Secret secret =
          client.secrets().inNamespace(settings.namespace()).withName(settings.secretName()).get();
      CertBundle mismatched = TlsFixtures.withLeaf(first, first.certPem(), ca.issue(sans).keyPem());
      client
          .resource(
              CertSecret.encode(
                  StoredCerts.of(mismatched), secret, settings.namespace(), settings.secretName()))
          .update();

      // A renewal is served.
      CertBundle second = ca.issue(sans);
      secret =
          client.secrets().inNamespace(settings.namespace()).withName(settings.secretName()).get();
      client
          .resource(
              CertSecret.encode(
                  StoredCerts.of(second), secret, settings.namespace(), settings.secretName()))
          .update();
      await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() == 2);
      assertEquals(List.of(first, second), delivered, "the broken bundle was never delivered");
      assertEquals(second, watcher.current().orElseThrow());
    }
  }

  /**
   * Every replica plus a leader: the leader creates the Secret, every replica's watcher serves it.
   */
  @Test
  void clusterCertificatesWireLeaderAndWatchers() {
    client.resource(WebhookConfigurations.mutating()).createOr(op -> op.update());
    client.resource(WebhookConfigurations.validating()).createOr(op -> op.update());
    CertSettings settings =
        new CertSettings(
            "wired-ns",
            "ofn-webhook-certs",
            "ofn-webhook",
            "ofn-webhook",
            "ofn-webhook",
            Duration.ofSeconds(30));
    List<CertBundle> a = new CopyOnWriteArrayList<>();
    List<CertBundle> b = new CopyOnWriteArrayList<>();
    try (ClusterCertificates replicaA =
            new ClusterCertificates(client, settings, Clock.systemUTC(), a::add);
        ClusterCertificates replicaB =
            new ClusterCertificates(client, settings, Clock.systemUTC(), b::add)) {
      replicaA.start();
      replicaB.start();
      replicaA.startLeading();
      await().atMost(Duration.ofSeconds(30)).until(() -> a.size() == 1 && b.size() == 1);
      assertEquals(a, b, "both replicas serve the leader's certificate");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  CertLeaderTest.caBundles(client).equals(java.util.Set.of(a.get(0).caCertPem())));
      replicaA.stopLeading();
      assertTrue(replicaA.current().isPresent());
    }
  }
}
