package dev.ofn.webhook.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Our Mutating- and ValidatingWebhookConfiguration, read from the copies of {@code
 * manifests/webhook-configurations/*.yaml} packaged in the jar. One source of truth for rules,
 * policies, selectors and timeouts: what {@code kubectl apply -k manifests/} installs is what
 * {@code serve --register-url} registers (ManifestsTest proves the copies and the rendered
 * manifests agree). Every call returns a fresh object the caller may change.
 */
public final class WebhookConfigurations {
  /**
   * Default name of both configurations ({@code --mutating-config}, {@code --validating-config}).
   */
  public static final String NAME = "ofn-webhook";

  static final String MUTATING_RESOURCE = "webhook-configurations/mutating.yaml";
  static final String VALIDATING_RESOURCE = "webhook-configurations/validating.yaml";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private WebhookConfigurations() {}

  /** As in the manifests: {@code clientConfig.service}, no caBundle. */
  public static MutatingWebhookConfiguration mutating() {
    return load(MUTATING_RESOURCE, MutatingWebhookConfiguration.class);
  }

  /** As in the manifests: {@code clientConfig.service}, no caBundle. */
  public static ValidatingWebhookConfiguration validating() {
    return load(VALIDATING_RESOURCE, ValidatingWebhookConfiguration.class);
  }

  /**
   * For {@code serve --register-url}: the manifests' configuration named {@code name}, each webhook
   * pointing at {@code baseUrl} + its path and trusting {@code caPem}.
   */
  public static MutatingWebhookConfiguration mutatingForUrl(
      String name, String baseUrl, String caPem) {
    MutatingWebhookConfiguration config = mutating();
    config.getMetadata().setName(name);
    config
        .getWebhooks()
        .forEach(w -> w.setClientConfig(urlConfig(w.getClientConfig(), baseUrl, caPem)));
    return config;
  }

  /** See {@link #mutatingForUrl}. */
  public static ValidatingWebhookConfiguration validatingForUrl(
      String name, String baseUrl, String caPem) {
    ValidatingWebhookConfiguration config = validating();
    config.getMetadata().setName(name);
    config
        .getWebhooks()
        .forEach(w -> w.setClientConfig(urlConfig(w.getClientConfig(), baseUrl, caPem)));
    return config;
  }

  /**
   * The {@code caBundle} field's value for PEM text: base64 of the PEM bytes (the API's []byte).
   */
  public static String caBundle(String caPem) {
    return Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
  }

  /** The PEM text of a {@code caBundle} value, or null when it is absent or not base64. */
  public static String caBundlePem(String caBundle) {
    if (caBundle == null) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(caBundle), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static WebhookClientConfig urlConfig(
      WebhookClientConfig fromManifest, String baseUrl, String caPem) {
    String base = checkedBaseUrl(baseUrl);
    WebhookClientConfig config = new WebhookClientConfig();
    config.setUrl(base + fromManifest.getService().getPath());
    config.setCaBundle(caBundle(caPem));
    return config;
  }

  /**
   * The apiserver's rules for {@code clientConfig.url}: https, a host, no user info, query or
   * fragment.
   */
  static String checkedBaseUrl(String baseUrl) {
    URI uri;
    try {
      uri = new URI(baseUrl);
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("--register-url: not a URL: " + baseUrl);
    }
    if (!"https".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getUserInfo() != null
        || uri.getQuery() != null
        || uri.getFragment() != null) {
      throw new IllegalArgumentException(
          "--register-url must be https://host[:port][/prefix] (no user, query or fragment): "
              + baseUrl);
    }
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  private static <T> T load(String resource, Class<T> type) {
    try (InputStream in =
        WebhookConfigurations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: " + resource);
      }
      return SERIALIZATION.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
