package dev.ofn.webhook.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local development (docs/behaviour.md §11): {@code serve --register-url URL} registers our two
 * configurations with {@code clientConfig.url} and our CA instead of the Service, with the
 * manifests' rules otherwise. The registration outlives the process; {@code unregister} removes it.
 */
public final class Registration {
  private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

  private Registration() {}

  /**
   * Creates or replaces both configurations. {@link IllegalArgumentException} for a URL the
   * apiserver would refuse.
   */
  public static void register(
      KubernetesClient client,
      String mutatingName,
      String validatingName,
      String baseUrl,
      String caPem) {
    MutatingWebhookConfiguration mutating =
        WebhookConfigurations.mutatingForUrl(mutatingName, baseUrl, caPem);
    ValidatingWebhookConfiguration validating =
        WebhookConfigurations.validatingForUrl(validatingName, baseUrl, caPem);
    // update() without a resourceVersion replaces whatever is there: registration is the user's
    // explicit wish.
    client.resource(mutating).createOr(NonDeletingOperation::update);
    client.resource(validating).createOr(NonDeletingOperation::update);
    LOG.info(
        "registered MutatingWebhookConfiguration {} and ValidatingWebhookConfiguration {} at {}",
        mutatingName,
        validatingName,
        baseUrl);
  }

  /** Deletes both configurations; returns how many existed. */
  public static int unregister(
      KubernetesClient client, String mutatingName, String validatingName) {
    int deleted = 0;
    if (!client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(mutatingName)
        .delete()
        .isEmpty()) {
      deleted++;
    }
    if (!client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName(validatingName)
        .delete()
        .isEmpty()) {
      deleted++;
    }
    LOG.info(
        "unregistered: {} webhook configuration(s) named {} / {} deleted",
        deleted,
        mutatingName,
        validatingName);
    return deleted;
  }
}
