package dev.ofn.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CertSecretTest {
  static final CertBundle BUNDLE =
      CertificateAuthority.generate(Clock.systemUTC()).issue(Sans.service("s", "ns"));

  @Test
  void roundTripsEveryFieldAndKeepsWhatIsNotOurs() {
    CertificateAuthority next = CertificateAuthority.generate(Clock.systemUTC());
    StoredCerts stored =
        new StoredCerts(
            BUNDLE,
            next.certificatePem(),
            next.keyPem(),
            BUNDLE.caCertPem(),
            Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2025-01-02T00:00:00Z"));
    Secret base =
        new SecretBuilder()
            .withNewMetadata()
            .withName("certs")
            .withNamespace("ns")
            .withResourceVersion("42")
            .addToAnnotations("team", "platform")
            .addToLabels("x", "y")
            .endMetadata()
            .build();
    Secret secret = CertSecret.encode(stored, base, "ns", "certs");
    assertEquals("42", secret.getMetadata().getResourceVersion(), "kept for the optimistic update");
    assertEquals("platform", secret.getMetadata().getAnnotations().get("team"));
    assertEquals("y", secret.getMetadata().getLabels().get("x"));
    assertEquals("kubernetes.io/tls", secret.getType());
    assertEquals(stored, CertSecret.decode(secret));

    Secret settled = CertSecret.encode(StoredCerts.of(BUNDLE), secret, "ns", "certs");
    assertEquals(
        Map.of("team", "platform"),
        settled.getMetadata().getAnnotations(),
        "roll annotations removed");
    assertEquals(StoredCerts.of(BUNDLE), CertSecret.decode(settled));
  }

  @Test
  void decodesHandWrittenAndBrokenSecretsWithoutThrowing() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("certs")
            .addToAnnotations(CertSecret.PUBLISHED_AT, "yesterday")
            .endMetadata()
            .addToData("tls.crt", "%%% not base64")
            .addToStringData("tls.key", BUNDLE.keyPem())
            .build();
    StoredCerts stored = CertSecret.decode(secret);
    assertEquals("%%% not base64", stored.bundle().certPem());
    assertEquals(BUNDLE.keyPem(), stored.bundle().keyPem());
    assertNull(stored.bundle().caCertPem());
    assertNull(stored.nextCaPublishedAt());
  }
}
