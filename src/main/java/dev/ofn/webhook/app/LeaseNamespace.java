package dev.ofn.webhook.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the Lease and the certificate Secret live. */
final class LeaseNamespace {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseNamespace.class);

  static final String DEFAULT = "ofn-webhook-system";

  private LeaseNamespace() {}

  /**
   * {@code --namespace} (or {@code OFN_WEBHOOK_NAMESPACE}), else {@code POD_NAMESPACE} (the
   * Deployment sets it); else, for a server outside the cluster ({@code --register-url}), the
   * kubeconfig context's namespace, which exists (usually {@code default}), so that local
   * development elects a leader and writes routes; else {@value #DEFAULT}.
   */
  static String choose(ServeConfig config, Optional<KubernetesClient> client) {
    if (config.namespace() != null && !config.namespace().isBlank()) {
      return config.namespace();
    }
    String pod = System.getenv("POD_NAMESPACE");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    if (config.registerUrl() != null && client.isPresent()) {
      String context = client.get().getNamespace();
      String chosen = context == null || context.isBlank() ? "default" : context;
      LOG.info(
          "namespace {} (the kubeconfig context's) holds the leader-election Lease; --namespace "
              + "to choose another",
          chosen);
      return chosen;
    }
    return DEFAULT;
  }
}
