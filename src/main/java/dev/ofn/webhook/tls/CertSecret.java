package dev.ofn.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The certificate Secret's layout: a {@code kubernetes.io/tls} Secret (so tools recognise it) with
 * our extra keys for the CA key and the roll, and roll times as annotations. Decoding never throws:
 * a corrupt value arrives as text that {@link CertPolicy} rejects with a reason.
 */
public final class CertSecret {
  static final String NEXT_CA_CRT = "next-ca.crt";
  static final String NEXT_CA_KEY = "next-ca.key";
  static final String PREVIOUS_CA_CRT = "previous-ca.crt";
  static final String PUBLISHED_AT = "ofn.io/next-ca-published-at";
  static final String SWITCHED_AT = "ofn.io/ca-switched-at";

  private CertSecret() {}

  public static StoredCerts decode(Secret secret) {
    Map<String, String> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, base64Text(v)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    Map<String, String> annotations =
        secret.getMetadata() == null || secret.getMetadata().getAnnotations() == null
            ? Map.of()
            : secret.getMetadata().getAnnotations();
    return new StoredCerts(
        new CertBundle(
            data.get(CertBundle.CA_CRT),
            data.get(CertBundle.CA_KEY),
            data.get(CertBundle.TLS_CRT),
            data.get(CertBundle.TLS_KEY)),
        data.get(NEXT_CA_CRT),
        data.get(NEXT_CA_KEY),
        data.get(PREVIOUS_CA_CRT),
        instant(annotations.get(PUBLISHED_AT)),
        instant(annotations.get(SWITCHED_AT)));
  }

  /**
   * {@code stored} written into {@code base} (the Secret as read, keeping its resourceVersion for
   * the optimistic update, labels and foreign annotations), or a new Secret when {@code base} is
   * null.
   */
  public static Secret encode(StoredCerts stored, Secret base, String namespace, String name) {
    Map<String, String> data = new LinkedHashMap<>();
    put(data, CertBundle.CA_CRT, stored.bundle().caCertPem());
    put(data, CertBundle.CA_KEY, stored.bundle().caKeyPem());
    put(data, CertBundle.TLS_CRT, stored.bundle().certPem());
    put(data, CertBundle.TLS_KEY, stored.bundle().keyPem());
    put(data, NEXT_CA_CRT, stored.nextCaPem());
    put(data, NEXT_CA_KEY, stored.nextCaKeyPem());
    put(data, PREVIOUS_CA_CRT, stored.previousCaPem());
    SecretBuilder builder =
        base == null
            ? new SecretBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .addToLabels("app.kubernetes.io/name", "ofn-webhook")
                .endMetadata()
            : new SecretBuilder(base);
    Secret secret =
        builder.withType("kubernetes.io/tls").withData(data).withStringData(null).build();
    Map<String, String> annotations =
        new LinkedHashMap<>(
            secret.getMetadata().getAnnotations() == null
                ? Map.of()
                : secret.getMetadata().getAnnotations());
    annotations.remove(PUBLISHED_AT);
    annotations.remove(SWITCHED_AT);
    if (stored.nextCaPublishedAt() != null) {
      annotations.put(PUBLISHED_AT, stored.nextCaPublishedAt().toString());
    }
    if (stored.switchedAt() != null) {
      annotations.put(SWITCHED_AT, stored.switchedAt().toString());
    }
    secret.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    return secret;
  }

  private static void put(Map<String, String> data, String key, String pem) {
    if (pem != null) {
      data.put(key, Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.ISO_8859_1)));
    }
  }

  private static String base64Text(String value) {
    if (value == null) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(value), StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      return value; // not base64: the PEM parser will say what is wrong with it
    }
  }

  private static Instant instant(String value) {
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
