package dev.ofn.webhook.cli;

import dev.ofn.webhook.cluster.ClusterConnection;
import dev.ofn.webhook.gateways.OwnershipMode;
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
import tools.jackson.databind.JsonNode;

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

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!input.given() && !cluster) {
      err.println("webhook check: give -f FILE|DIR|- (or --cluster alone to audit the cluster)");
      return 2;
    }
    OfflineAdmission.Context context = OfflineAdmission.Context.none();
    if (!gateways.isEmpty()) {
      Optional<OfflineAdmission.Context> given = gatewayContext(err);
      if (given.isEmpty()) {
        return 2;
      }
      context = given.get();
    }
    if (cluster) {
      Optional<OfflineAdmission.Context> read = readCluster(err);
      if (read.isEmpty()) {
        return 2;
      }
      context = merge(read.get(), context);
    }
    CheckReport report;
    ClusterAudit.Result audit = null;
    if (input.given()) {
      Optional<Manifests.Input> read = input.read(err);
      if (read.isEmpty()) {
        return 2;
      }
      report =
          CheckReport.of(
              read.get(),
              OfflineAdmission.admit(
                  read.get().documents(), input.namespace, true, context, hostnameOwnership));
    } else {
      audit = ClusterAudit.audit(context, input.namespace);
      report = audit.report();
    }
    format.write(report, strict, out);
    if (audit != null && format == CheckFormats.text) {
      out.println(
          "audit: "
              + report.subjects.size()
              + " objects; "
              + audit.shadowedKeys()
              + " shadowed route key(s) in "
              + audit.shadowedObjects()
              + " object(s); "
              + audit.refused()
              + " object(s) our validation would refuse");
    }
    out.flush();
    boolean failed =
        report.count(CheckReport.Severity.ERROR) > 0
            || strict && report.count(CheckReport.Severity.WARNING) > 0;
    return failed ? 1 : 0;
  }

  /** OFN Gateways, k8s Gateways and Namespaces of the {@code --gateway} files. */
  private Optional<OfflineAdmission.Context> gatewayContext(PrintWriter err) {
    Optional<Manifests.Input> read = ManifestInput.read(gateways, err);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    for (Manifests.Problem problem : read.get().problems()) {
      if (problem.error()) {
        err.println("webhook check: --gateway " + problem.render());
        return Optional.empty();
      }
    }
    List<JsonNode> ofn = new ArrayList<>();
    List<JsonNode> k8s = new ArrayList<>();
    java.util.Map<String, java.util.Map<String, String>> labels = new java.util.HashMap<>();
    for (Manifests.Document document : read.get().documents()) {
      JsonNode object = document.object();
      if (dev.ofn.webhook.model.Names.isOfnGateway(object)) {
        ofn.add(object);
      } else if (dev.ofn.webhook.model.Names.is(
          object, dev.ofn.webhook.model.Names.GATEWAY_API_GROUP, "Gateway")) {
        k8s.add(object);
      } else if ("Namespace".equals(object.path("kind").asString(""))) {
        labels.put(
            object.path("metadata").path("name").asString(""),
            OfflineAdmission.labels(object.path("metadata")));
      }
    }
    if (ofn.isEmpty()) {
      err.println("webhook check: --gateway " + String.join(", ", gateways) + ": no OFN Gateway");
      return Optional.empty();
    }
    return Optional.of(new OfflineAdmission.Context(ofn, k8s, labels, List.of(), false));
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

  /** The cluster's objects, with {@code given}'s gateways and namespaces over them. */
  private static OfflineAdmission.Context merge(
      OfflineAdmission.Context cluster, OfflineAdmission.Context given) {
    List<JsonNode> ofn = new ArrayList<>(cluster.ofnGateways());
    ofn.addAll(given.ofnGateways());
    List<JsonNode> k8s = new ArrayList<>(cluster.k8sGateways());
    k8s.addAll(given.k8sGateways());
    java.util.Map<String, java.util.Map<String, String>> labels =
        new java.util.HashMap<>(cluster.namespaceLabels());
    labels.putAll(given.namespaceLabels());
    return new OfflineAdmission.Context(ofn, k8s, labels, cluster.stored(), false);
  }
}
