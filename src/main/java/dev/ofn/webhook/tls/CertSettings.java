package dev.ofn.webhook.tls;

import java.time.Duration;

/**
 * Where the in-cluster certificates live and whom they serve (docs/behaviour.md §10 flags).
 *
 * @param namespace {@code --namespace} (default {@code $POD_NAMESPACE}): the Secret's namespace and
 *     the Service's
 * @param secretName {@code --cert-secret}
 * @param serviceName {@code --service-name}: the serving certificate's names derive from it
 * @param mutatingConfig {@code --mutating-config}
 * @param validatingConfig {@code --validating-config}
 * @param resync how often the leader re-checks without an event (expiry and roll timers)
 */
public record CertSettings(
    String namespace,
    String secretName,
    String serviceName,
    String mutatingConfig,
    String validatingConfig,
    Duration resync) {

  public Sans sans() {
    return Sans.service(serviceName, namespace);
  }

  /** "Secret ns/name: " — the prefix of every log line about the Secret. */
  String where() {
    return "Secret " + namespace + "/" + secretName + ": ";
  }
}
