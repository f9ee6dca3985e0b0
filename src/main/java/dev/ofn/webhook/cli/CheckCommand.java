package dev.ofn.webhook.cli;

import dev.ofn.webhook.check.CheckFormats;
import dev.ofn.webhook.check.ClusterSnapshot;
import dev.ofn.webhook.check.OfflineAdmission;
import dev.ofn.webhook.check.OfflineCheck;
import dev.ofn.webhook.cluster.ClusterConnection;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code webhook check -f FILE|DIR|-}: every line the webhooks would answer for the objects
 * (errors, then {@code warning:} lines), in the format of {@code -o}. Nothing stops it early: a
 * file that does not parse is one error and the rest is still checked. Exit 1 when any problem was
 * found (or, with {@code --strict}, any warning), 2 only for usage errors. With {@code --cluster}
 * the objects are checked against the cluster's gateways and routes; without files, the cluster is
 * audited.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Default, validate and conflict-check the objects as the webhooks would.",
      "With --cluster, against the cluster's gateways and routes (an object that exists there is an"
          + " update of it); with --cluster and no -f, audit the cluster: route keys claimed twice"
          + " (winner and shadowed object) and stored objects our validation would refuse.",
      "Exit 0: nothing found; 1: a problem (with --strict also a warning); 2: usage error or no"
          + " cluster."
    })
final class CheckCommand implements Callable<Integer> {
  @Mixin ManifestInput input;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  CheckFormats format;

  @Option(names = "--strict", description = "Exit 1 on warnings too.")
  boolean strict;

  @Option(
      names = "--cluster",
      description = "Check against the cluster's OFN Gateways, Functions and HTTPRoutes.")
  boolean cluster;

  @Option(
      names = "--kubeconfig",
      description = "kubeconfig file for --cluster (default: $KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--gateway",
      description =
          "File or folder of OFN Gateways, k8s Gateways and Namespaces to check against (repeatable).")
  List<String> gateways = new ArrayList<>();

  @Option(
      names = "--hostname-ownership",
      defaultValue = "off",
      converter = OwnershipModes.class,
      description = OwnershipModes.DESCRIPTION)
  OwnershipMode hostnameOwnership;

  @Option(
      names = "--default-route-policy",
      defaultValue = "off",
      converter = RoutePolicies.class,
      description = RoutePolicies.DESCRIPTION)
  RoutePolicy defaultRoutePolicy;

  @Option(
      names = "--all-gateways",
      description =
          "With --cluster and no files: list the shadowed routes on every k8s Gateway, whatever"
              + " its route policy (read only: the audit to run before opting a gateway in).")
  boolean allGateways;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (!input.given() && !cluster) {
      err.println("webhook check: give -f FILE|DIR|- (or --cluster alone to audit the cluster)");
      return 2;
    }
    Optional<OfflineAdmission.Context> clusterObjects = Optional.empty();
    if (cluster) {
      clusterObjects = readCluster(err);
      if (clusterObjects.isEmpty()) {
        return 2;
      }
    }
    return OfflineCheck.run(
        new OfflineCheck.Options(
            input.given() ? input.files : List.of(),
            input.namespace,
            format,
            strict,
            gateways,
            hostnameOwnership,
            defaultRoutePolicy,
            allGateways),
        clusterObjects,
        spec.commandLine().getOut(),
        err);
  }

  private Optional<OfflineAdmission.Context> readCluster(PrintWriter err) {
    Vertx vertx = Vertx.vertx();
    try {
      Optional<KubernetesClient> client = ClusterConnection.connect(vertx, kubeconfig, true);
      if (client.isEmpty()) {
        err.println(
            "webhook check: no reachable cluster"
                + (kubeconfig == null ? "" : " (--kubeconfig " + kubeconfig + ")"));
        return Optional.empty();
      }
      try (KubernetesClient kube = client.get()) {
        return Optional.of(ClusterSnapshot.read(kube));
      } catch (RuntimeException e) {
        err.println("webhook check: cannot read the cluster: " + e.getMessage());
        return Optional.empty();
      }
    } finally {
      vertx.close();
    }
  }
}
