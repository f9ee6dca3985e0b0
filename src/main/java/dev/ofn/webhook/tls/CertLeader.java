package dev.ofn.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of in-cluster certificates: keeps the Secret valid (create, renew, CA roll
 * through {@link CertRotation}) and both webhook configurations' caBundle equal to the Secret's
 * trust bundle. Every write is optimistic (create fails when the Secret exists, update fails on a
 * stale resourceVersion), so two leaders at once — a hand-over, two replicas starting together —
 * end with one certificate: the loser re-reads and finds nothing left to do.
 */
public final class CertLeader {
  private static final Logger LOG = LoggerFactory.getLogger(CertLeader.class);

  /** More rounds than a create, a caBundle sync and a couple of lost races need. */
  private static final int MAX_ROUNDS = 8;

  private final KubernetesClient client;
  private final CertSettings settings;
  private final CertRotation rotation;
  private final Clock clock;

  public CertLeader(
      KubernetesClient client, CertSettings settings, CertRotation rotation, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.rotation = rotation;
    this.clock = clock;
  }

  /** What one reconciliation did (one log line each) and the Secret's content at the end. */
  public record Result(List<String> steps, StoredCerts stored) {}

  /**
   * Brings Secret and caBundles to where they should be now. Throws only on API errors other than
   * conflicts.
   */
  public Result reconcileOnce() {
    List<String> steps = new ArrayList<>();
    StoredCerts stored = null;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Secret secret = secret().get();
      stored = secret == null ? null : CertSecret.decode(secret);
      boolean trustPublished = stored == null || syncCaBundles(stored, steps);
      CertRotation.Plan plan = rotation.plan(stored, settings.sans(), trustPublished, clock);
      if (!plan.changed()) {
        return new Result(List.copyOf(steps), stored);
      }
      Secret desired =
          CertSecret.encode(plan.next(), secret, settings.namespace(), settings.secretName());
      if (write(
          () ->
              secret == null
                  ? secrets().resource(desired).create()
                  : secrets().resource(desired).update())) {
        log(steps, settings.where() + plan.reason());
      } else {
        LOG.debug("{}another writer was first; reading it again", settings.where());
      }
    }
    return new Result(List.copyOf(steps), stored);
  }

  /**
   * Sets every webhook's caBundle of both configurations (those that exist) to the trust bundle.
   * Returns whether they all trusted it already before this call: the roll counts a CA as published
   * only once the apiserver has shown it back to us.
   */
  private boolean syncCaBundles(StoredCerts stored, List<String> steps) {
    String trust = stored.trustBundle();
    if (trust.isEmpty()) {
      return false; // nothing valid to publish; the rotation replaces the broken CA first
    }
    String caBundle = WebhookConfigurations.caBundle(trust);
    boolean published = true;

    Resource<MutatingWebhookConfiguration> mutating =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(settings.mutatingConfig());
    MutatingWebhookConfiguration m = mutating.get();
    if (m != null) {
      List<WebhookClientConfig> configs =
          m.getWebhooks() == null
              ? List.of()
              : m.getWebhooks().stream().map(w -> w.getClientConfig()).toList();
      published &= trusts(configs, stored);
      if (setCaBundle(configs, stored, caBundle) && write(() -> client.resource(m).update())) {
        log(
            steps,
            "MutatingWebhookConfiguration " + settings.mutatingConfig() + ": caBundle updated");
      }
    }
    Resource<ValidatingWebhookConfiguration> validating =
        client
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName(settings.validatingConfig());
    ValidatingWebhookConfiguration v = validating.get();
    if (v != null) {
      List<WebhookClientConfig> configs =
          v.getWebhooks() == null
              ? List.of()
              : v.getWebhooks().stream().map(w -> w.getClientConfig()).toList();
      published &= trusts(configs, stored);
      if (setCaBundle(configs, stored, caBundle) && write(() -> client.resource(v).update())) {
        log(
            steps,
            "ValidatingWebhookConfiguration " + settings.validatingConfig() + ": caBundle updated");
      }
    }
    return published;
  }

  private static boolean trusts(List<WebhookClientConfig> configs, StoredCerts stored) {
    return configs.stream()
        .allMatch(
            c -> c != null && stored.trustedBy(WebhookConfigurations.caBundlePem(c.getCaBundle())));
  }

  /** Sets caBundle where it holds other CAs (order does not matter); true when anything changed. */
  private static boolean setCaBundle(
      List<WebhookClientConfig> configs, StoredCerts stored, String caBundle) {
    boolean changed = false;
    for (WebhookClientConfig config : configs) {
      if (config != null
          && !stored.publishedExactlyIn(WebhookConfigurations.caBundlePem(config.getCaBundle()))) {
        config.setCaBundle(caBundle);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Runs an optimistic write; false when someone else changed the object first (409), which the
   * next round sees.
   */
  private static boolean write(Supplier<?> call) {
    try {
      var unused = call.get();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  private Resource<Secret> secret() {
    return secrets().withName(settings.secretName());
  }

  private NonNamespaceOperation<Secret, SecretList, Resource<Secret>> secrets() {
    return client.secrets().inNamespace(settings.namespace());
  }

  private static void log(List<String> steps, String line) {
    LOG.info(line);
    steps.add(line);
  }
}
