package dev.ofn.webhook.cli;

import dev.ofn.webhook.cluster.ClusterConnection;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code webhook verify}: the README's check that the apiserver really calls the installed
 * webhooks, as a command (what the chart's {@code helm test} Pod runs, from the server's own image,
 * which has no kubectl). A server-side dry run of an OFN Gateway with an empty domain must come
 * back denied by {@code vgateway.of.io}; nothing is stored.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Check that the apiserver calls the validating webhook: a server-side dry run of an OFN"
            + " Gateway without a domain must be denied (stores nothing). Exit 0 when denied as"
            + " expected, 1 otherwise, 2 without a cluster.")
final class VerifyCommand implements Callable<Integer> {
  static final String EXPECTED =
      "admission webhook \"vgateway.of.io\" denied the request: spec.domain: Required value";

  /** Named outright: no discovery round trip, and RBAC needs no more than {@code create}. */
  private static final ResourceDefinitionContext OFN_GATEWAYS =
      new ResourceDefinitionContext.Builder()
          .withGroup("networking.openfunction.io")
          .withVersion("v1alpha1")
          .withKind("Gateway")
          .withPlural("gateways")
          .withNamespaced(true)
          .build();

  @Option(
      names = "--kubeconfig",
      description = "kubeconfig file (default: in-cluster, $KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--namespace",
      defaultValue = "default",
      description =
          "Namespace of the dry run; the webhooks must cover it (not kube-system, not the"
              + " install's own). Default: ${DEFAULT-VALUE}.")
  String namespace;

  @Override
  public Integer call() {
    Vertx vertx = Vertx.vertx();
    try {
      Optional<KubernetesClient> client = ClusterConnection.connect(vertx, kubeconfig, true);
      if (client.isEmpty()) {
        System.err.println("webhook verify: no reachable cluster");
        return 2;
      }
      try (KubernetesClient kube = client.get()) {
        return verify(kube);
      }
    } finally {
      vertx.close();
    }
  }

  private int verify(KubernetesClient kube) {
    GenericKubernetesResource gateway = probeGateway();
    try {
      kube.genericKubernetesResources(OFN_GATEWAYS)
          .inNamespace(namespace)
          .resource(gateway)
          .dryRun()
          .create();
      System.out.println(
          "FAIL: the dry run of OFN Gateway "
              + namespace
              + "/ofn-webhook-verify was admitted: vgateway.of.io is not registered or not called");
      return 1;
    } catch (KubernetesClientException e) {
      String message =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage()
              : e.getMessage();
      if (message != null && message.contains(EXPECTED)) {
        System.out.println("ok: " + message);
        return 0;
      }
      System.out.println("FAIL: expected the denial '" + EXPECTED + "', got: " + message);
      return 1;
    }
  }

  /** The README's object: {@code domain} present but empty, so the CRD's schema does not answer. */
  static GenericKubernetesResource probeGateway() {
    GenericKubernetesResource gateway = new GenericKubernetesResource();
    gateway.setApiVersion("networking.openfunction.io/v1alpha1");
    gateway.setKind("Gateway");
    gateway.setMetadata(new ObjectMetaBuilder().withName("ofn-webhook-verify").build());
    gateway.setAdditionalProperty(
        "spec",
        Map.of(
            "domain",
            "",
            "gatewayRef",
            Map.of("name", "contour", "namespace", "projectcontour"),
            "gatewaySpec",
            Map.of(
                "listeners",
                List.of(Map.of("name", "ofn-http-external", "protocol", "HTTP", "port", 80)))));
    return gateway;
  }
}
