package dev.ofn.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CertLeaderTest {
  static final String NS = "ofn-webhook-system";
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static KubernetesClient client;

  final MutableClock clock = new MutableClock(T0);
  final CertSettings settings = TlsFixtures.settings(NS);

  @BeforeEach
  void configurations() {
    client.secrets().inNamespace(NS).withName(settings.secretName()).delete();
    client.resource(WebhookConfigurations.mutating()).createOr(op -> op.update());
    client.resource(WebhookConfigurations.validating()).createOr(op -> op.update());
  }

  CertLeader leader() {
    return new CertLeader(client, settings, CertRotation.DEFAULT, clock);
  }

  @Test
  void createsTheSecretAndPublishesTheCa() {
    CertLeader.Result result = leader().reconcileOnce();
    assertEquals(
        List.of(
            "Secret ofn-webhook-system/ofn-webhook-certs: does not exist: created a CA and a serving certificate for ofn-webhook, "
                + "ofn-webhook.ofn-webhook-system, ofn-webhook.ofn-webhook-system.svc, ofn-webhook.ofn-webhook-system.svc.cluster.local",
            "MutatingWebhookConfiguration ofn-webhook: caBundle updated",
            "ValidatingWebhookConfiguration ofn-webhook: caBundle updated"),
        result.steps());
    Secret secret = secret();
    assertEquals("kubernetes.io/tls", secret.getType());
    StoredCerts stored = CertSecret.decode(secret);
    assertTrue(CertPolicy.DEFAULT.decide(stored.bundle(), settings.sans(), T0).ok());
    assertEquals(Set.of(stored.bundle().caCertPem()), caBundles());
    assertEquals(List.of(), leader().reconcileOnce().steps(), "nothing left to do");
  }

  @Test
  void twoLeadersStartingTogetherEndWithOneCertificate() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    Callable<CertLeader.Result> run =
        () -> {
          go.await();
          return leader().reconcileOnce();
        };
    try {
      Future<CertLeader.Result> a = pool.submit(run);
      Future<CertLeader.Result> b = pool.submit(run);
      go.countDown();
      CertLeader.Result ra = a.get();
      CertLeader.Result rb = b.get();
      String served = CertSecret.decode(secret()).bundle().certPem();
      assertEquals(served, ra.stored().bundle().certPem());
      assertEquals(served, rb.stored().bundle().certPem());
      long creations =
          List.of(ra, rb).stream()
              .flatMap(r -> r.steps().stream())
              .filter(s -> s.contains("does not exist"))
              .count();
      assertEquals(1, creations, "one of them created it, the other found it");
      assertEquals(Set.of(CertSecret.decode(secret()).bundle().caCertPem()), caBundles());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void renewsTheLeafAndKeepsTheCaBundle() {
    StoredCerts first = leader().reconcileOnce().stored();
    clock.advance(Duration.ofDays(21));
    CertLeader.Result result = leader().reconcileOnce();
    assertEquals(
        List.of("Secret ofn-webhook-system/ofn-webhook-certs: tls.crt expires in 9 days: renewed"),
        result.steps());
    assertNotEquals(first.bundle().certPem(), result.stored().bundle().certPem());
    assertEquals(Set.of(first.bundle().caCertPem()), caBundles(), "same CA, caBundle untouched");
  }

  @Test
  void rollsTheCaInSpecOrder() {
    String oldCa = leader().reconcileOnce().stored().bundle().caCertPem();
    clock.advance(Duration.ofDays(330));
    CertLeader.Result step1 = leader().reconcileOnce();
    StoredCerts s = CertSecret.decode(secret());
    assertNotNull(s.nextCaPem());
    assertEquals(oldCa, s.bundle().caCertPem(), "still serving from the old CA");
    assertEquals(Set.of(s.trustBundle()), caBundles(), "old + new published: " + step1.steps());
    assertEquals(2, Pem.decodeCertificates(s.trustBundle()).size());

    leader().reconcileOnce(); // both configurations show it now
    assertNotNull(CertSecret.decode(secret()).nextCaPublishedAt());
    clock.advance(Duration.ofSeconds(61));
    CertLeader.Result switched = leader().reconcileOnce();
    s = CertSecret.decode(secret());
    assertEquals(
        List.of(
            "Secret ofn-webhook-system/ofn-webhook-certs: serving certificate switched to the new CA; the old CA stays trusted for 10 min"),
        switched.steps());
    assertEquals(oldCa, s.previousCaPem());
    assertTrue(
        caBundles().iterator().next().contains(oldCa.trim()),
        "old CA still trusted after the switch");

    clock.advance(Duration.ofMinutes(10));
    leader().reconcileOnce();
    s = CertSecret.decode(secret());
    assertEquals(Set.of(s.bundle().caCertPem()), caBundles(), "only the new CA left");
  }

  @Test
  void missingConfigurationsDoNotBlockARoll() {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName("ofn-webhook")
        .delete();
    client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName("ofn-webhook")
        .delete();
    leader().reconcileOnce();
    clock.advance(Duration.ofDays(330));
    leader().reconcileOnce();
    clock.advance(Duration.ofSeconds(61));
    leader().reconcileOnce();
    StoredCerts s = CertSecret.decode(secret());
    assertNotNull(s.previousCaPem(), "switched");
  }

  @Test
  void repairsACorruptedSecret() {
    leader().reconcileOnce();
    Secret secret = secret();
    secret
        .getData()
        .put("tls.key", java.util.Base64.getEncoder().encodeToString("garbage".getBytes()));
    client.resource(secret).update();
    CertLeader.Result result = leader().reconcileOnce();
    assertTrue(
        result
            .steps()
            .get(0)
            .startsWith(
                "Secret ofn-webhook-system/ofn-webhook-certs: tls.key is not a valid PEM key"),
        result.steps().toString());
    assertTrue(
        CertPolicy.DEFAULT.decide(CertSecret.decode(secret()).bundle(), settings.sans(), T0).ok());
  }

  Secret secret() {
    return client.secrets().inNamespace(NS).withName(settings.secretName()).get();
  }

  /** The distinct caBundle PEMs across all five webhooks. */
  static Set<String> caBundles() {
    return caBundles(client);
  }

  static Set<String> caBundles(KubernetesClient client) {
    return TlsFixtures.clientConfigs(
            client
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("ofn-webhook")
                .get(),
            client
                .admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName("ofn-webhook")
                .get())
        .map(c -> WebhookConfigurations.caBundlePem(c.getCaBundle()))
        .collect(Collectors.toSet());
  }
}
