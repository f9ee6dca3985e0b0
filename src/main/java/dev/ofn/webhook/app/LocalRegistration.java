package dev.ofn.webhook.app;

import dev.ofn.webhook.tls.Registration;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --register-url}: our webhook configurations point at this server, registered once it
 * answers, and removed on a graceful stop after it no longer answers (its stop is left with {@link
 * Steps} before the listeners', so it runs after theirs), unless {@code --keep-registration}.
 * {@code webhook unregister} is for a server that could not stop gracefully.
 */
final class LocalRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRegistration.class);

  private final ServeConfig config;
  private final KubernetesClient client;
  private volatile boolean registered;

  private LocalRegistration(ServeConfig config, KubernetesClient client) {
    this.config = config;
    this.client = client;
  }

  /** Registers nothing yet: {@link #register} does, once the server answers. */
  static LocalRegistration prepare(ServeConfig config, KubernetesClient client, Steps steps) {
    LocalRegistration registration = new LocalRegistration(config, client);
    steps.started("registration", registration::unregister);
    return registration;
  }

  void register(String caPem) {
    Registration.register(
        client, config.mutatingConfig(), config.validatingConfig(), config.registerUrl(), caPem);
    registered = true;
  }

  private void unregister() {
    if (!registered) {
      return;
    }
    if (config.keepRegistration()) {
      LOG.info(
          "--keep-registration: webhook configurations {} / {} stay registered (webhook unregister removes them)",
          config.mutatingConfig(),
          config.validatingConfig());
      return;
    }
    try {
      Registration.unregister(client, config.mutatingConfig(), config.validatingConfig());
    } catch (RuntimeException e) {
      LOG.warn(
          "could not remove the webhook configurations {} / {} ({}): run webhook unregister",
          config.mutatingConfig(),
          config.validatingConfig(),
          e.getMessage());
    }
  }
}
