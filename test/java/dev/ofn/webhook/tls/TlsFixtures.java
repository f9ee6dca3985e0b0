package dev.ofn.webhook.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import java.time.Duration;
import java.util.stream.Stream;

/** Test conveniences over the certificate types (kept out of the main code, which needs none). */
public final class TlsFixtures {
  private TlsFixtures() {}

  /** The install's names in {@code namespace}, resynced every 30 s. */
  public static CertSettings settings(String namespace) {
    return new CertSettings(
        namespace,
        "ofn-webhook-certs",
        "ofn-webhook",
        WebhookConfigurations.NAME,
        WebhookConfigurations.NAME,
        Duration.ofSeconds(30));
  }

  /** The same CA with another serving certificate. */
  public static CertBundle withLeaf(CertBundle bundle, String certPem, String keyPem) {
    return new CertBundle(bundle.caCertPem(), bundle.caKeyPem(), certPem, keyPem);
  }

  /** The clientConfig of every webhook of both configurations (null-safe). */
  public static Stream<WebhookClientConfig> clientConfigs(
      MutatingWebhookConfiguration mutating, ValidatingWebhookConfiguration validating) {
    return Stream.concat(
        mutating == null || mutating.getWebhooks() == null
            ? Stream.empty()
            : mutating.getWebhooks().stream().map(w -> w.getClientConfig()),
        validating == null || validating.getWebhooks() == null
            ? Stream.empty()
            : validating.getWebhooks().stream().map(w -> w.getClientConfig()));
  }
}
