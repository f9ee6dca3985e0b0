package dev.ofn.webhook.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the cluster, if any: a fabric8 client on the server's own Vert.x instance. */
public final class ClusterConnection {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterConnection.class);

  private ClusterConnection() {}

  /**
   * A client for the given kubeconfig (or fabric8's auto-configuration), when its apiserver
   * answers.
   */
  public static Optional<KubernetesClient> connect(Vertx vertx, Path kubeconfig) {
    return connect(vertx, kubeconfig, false);
  }

  /**
   * {@code failFast}: no retries (a one-shot command says at once that there is no cluster instead
   * of backing off for half a minute).
   */
  public static Optional<KubernetesClient> connect(Vertx vertx, Path kubeconfig, boolean failFast) {
    Config config;
    try {
      config =
          kubeconfig == null
              ? new ConfigBuilder(Config.autoConfigure(null)).build()
              : Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read kubeconfig {}: {}", kubeconfig, e.getMessage());
      return Optional.empty();
    }
    if (kubeconfig == null
        && (config.getMasterUrl() == null
            || config.getMasterUrl().contains("kubernetes.default.svc")
                && System.getenv("KUBERNETES_SERVICE_HOST") == null)) {
      return Optional.empty();
    }
    config.setRequestTimeout(5_000);
    config.setConnectionTimeout(3_000);
    if (failFast) {
      config.setRequestRetryBackoffLimit(0);
    }
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new Vertx5HttpClientFactory(vertx))
            .build();
    // a kubeconfig named on the command line says there is a cluster: a slow first answer (a
    // loaded machine, an apiserver starting) gets two more tries before the server goes without
    int attempts = failFast || kubeconfig == null ? 1 : 3;
    for (int attempt = 1; ; attempt++) {
      try {
        String version = client.getKubernetesVersion().getGitVersion();
        LOG.info("connected to {} (Kubernetes {})", config.getMasterUrl(), version);
        return Optional.of(client);
      } catch (RuntimeException e) {
        if (attempt >= attempts) {
          LOG.warn("no reachable cluster at {}: {}", config.getMasterUrl(), e.getMessage());
          client.close();
          return Optional.empty();
        }
        LOG.info(
            "cluster at {} not answering ({}): trying again",
            config.getMasterUrl(),
            e.getMessage());
      }
    }
  }
}
