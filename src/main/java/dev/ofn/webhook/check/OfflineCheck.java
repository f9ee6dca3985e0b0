package dev.ofn.webhook.check;

import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
import dev.ofn.webhook.model.Names;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code webhook check}: the objects of the files (or, with a cluster and no files, the cluster's
 * stored objects) sent through the admission core, and the report written in the chosen format. The
 * command shell parses the options and reads the cluster; everything else is here.
 */
public final class OfflineCheck {
  /**
   * What to check: {@code files} (empty: audit the cluster), the namespace of objects without one,
   * the format, {@code strict} (warnings fail), the {@code --gateway} files and the default
   * hostname ownership.
   */
  public record Options(
      List<String> files,
      String namespace,
      CheckFormats format,
      boolean strict,
      List<String> gateways,
      OwnershipMode ownership,
      RoutePolicy routePolicy,
      boolean allGateways) {}

  private OfflineCheck() {}

  /**
   * The exit code: 0 nothing found, 1 a problem (with {@code strict} also a warning), 2 a usage
   * error. {@code cluster}: the cluster's objects when {@code --cluster} was given.
   */
  public static int run(
      Options options,
      Optional<OfflineAdmission.Context> cluster,
      PrintWriter out,
      PrintWriter err) {
    OfflineAdmission.Context context = OfflineAdmission.Context.none();
    if (!options.gateways().isEmpty()) {
      Optional<OfflineAdmission.Context> given = gatewayContext(options.gateways(), err);
      if (given.isEmpty()) {
        return 2;
      }
      context = given.get();
    }
    if (cluster.isPresent()) {
      context = merge(cluster.get(), context);
    }
    CheckReport report;
    ClusterAudit.Result audit = null;
    if (!options.files().isEmpty()) {
      Optional<Manifests.Input> read = Manifests.read(options.files(), err);
      if (read.isEmpty()) {
        return 2;
      }
      report =
          CheckReport.of(
              read.get(),
              OfflineAdmission.admit(
                  read.get().documents(),
                  options.namespace(),
                  true,
                  context,
                  options.ownership(),
                  options.routePolicy()));
    } else {
      audit = ClusterAudit.audit(context, options.namespace(), options.allGateways());
      report = audit.report();
    }
    options.format().write(report, options.strict(), out);
    if (options.strict() && report.subjects.isEmpty()) {
      // a gate that checked nothing must not pass
      err.println(
          "webhook check: nothing to check in "
              + String.join(
                  ", ", options.files().isEmpty() ? List.of("the cluster") : options.files())
              + " (--strict fails when no object was checked)");
      out.flush();
      return 1;
    }
    if (audit != null && options.format() == CheckFormats.text) {
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
            || options.strict() && report.count(CheckReport.Severity.WARNING) > 0;
    return failed ? 1 : 0;
  }

  /** OFN Gateways, k8s Gateways and Namespaces of the {@code --gateway} files. */
  private static Optional<OfflineAdmission.Context> gatewayContext(
      List<String> gateways, PrintWriter err) {
    Optional<Manifests.Input> read = Manifests.read(gateways, err);
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
    Map<String, Map<String, String>> labels = new HashMap<>();
    for (Manifests.Document document : read.get().documents()) {
      JsonNode object = document.object();
      if (Names.isOfnGateway(object)) {
        ofn.add(object);
      } else if (Names.isK8sGateway(object)
          || Names.isGatewayClass(object)
          || Names.isListenerSet(object)) {
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

  /** The cluster's objects, with {@code given}'s gateways and namespaces over them. */
  private static OfflineAdmission.Context merge(
      OfflineAdmission.Context cluster, OfflineAdmission.Context given) {
    List<JsonNode> ofn = new ArrayList<>(cluster.ofnGateways());
    ofn.addAll(given.ofnGateways());
    List<JsonNode> k8s = new ArrayList<>(cluster.gatewayApi());
    k8s.addAll(given.gatewayApi());
    Map<String, Map<String, String>> labels = new HashMap<>(cluster.namespaceLabels());
    labels.putAll(given.namespaceLabels());
    return new OfflineAdmission.Context(ofn, k8s, labels, cluster.stored(), false);
  }
}
