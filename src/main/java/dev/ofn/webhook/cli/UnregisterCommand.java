package dev.ofn.webhook.cli;

import dev.ofn.webhook.cluster.ClusterConnection;
import dev.ofn.webhook.tls.Registration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code webhook unregister}: removes the webhook configurations that {@code serve --register-url}
 * made.
 */
@Command(
    name = "unregister",
    mixinStandardHelpOptions = true,
    description = "Delete our Mutating- and ValidatingWebhookConfiguration (local development).")
final class UnregisterCommand implements Callable<Integer> {
  @Option(
      names = "--kubeconfig",
      description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--mutating-config", defaultValue = "ofn-webhook")
  String mutatingConfig;

  @Option(names = "--validating-config", defaultValue = "ofn-webhook")
  String validatingConfig;

  @Override
  public Integer call() {
    Vertx vertx = Vertx.vertx();
    try {
      Optional<KubernetesClient> client = ClusterConnection.connect(vertx, kubeconfig);
      if (client.isEmpty()) {
        System.err.println("webhook unregister: no reachable cluster");
        return 2;
      }
      try (KubernetesClient kube = client.get()) {
        int deleted = Registration.unregister(kube, mutatingConfig, validatingConfig);
        System.out.println("deleted " + deleted + " webhook configuration(s)");
        return 0;
      }
    } finally {
      vertx.close();
    }
  }
}
