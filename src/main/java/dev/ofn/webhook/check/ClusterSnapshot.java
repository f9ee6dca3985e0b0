package dev.ofn.webhook.check;

import dev.ofn.webhook.cluster.Discovery;
import dev.ofn.webhook.cluster.WatchedKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The cluster's objects that {@code webhook check --cluster} checks against, read once with plain
 * list calls (no informers): OFN Gateways, Functions, HTTPRoutes, GRPCRoutes, k8s Gateways,
 * GatewayClasses, ListenerSets and Namespace labels. A resource the cluster does not serve is read
 * as none.
 */
public final class ClusterSnapshot {
  private ClusterSnapshot() {}

  public static OfflineAdmission.Context read(KubernetesClient client) {
    Discovery discovery = new Discovery(client);
    List<JsonNode> ofnGateways = list(client, discovery, WatchedKind.OFN_GATEWAYS);
    List<JsonNode> functions = list(client, discovery, WatchedKind.FUNCTIONS);
    List<JsonNode> routes = list(client, discovery, WatchedKind.HTTP_ROUTES);
    routes.addAll(list(client, discovery, WatchedKind.GRPC_ROUTES));
    List<JsonNode> gatewayApi = list(client, discovery, WatchedKind.K8S_GATEWAYS);
    gatewayApi.addAll(list(client, discovery, WatchedKind.GATEWAY_CLASSES));
    gatewayApi.addAll(list(client, discovery, WatchedKind.LISTENER_SETS));
    Map<String, Map<String, String>> labels = new HashMap<>();
    for (Namespace ns : client.namespaces().list().getItems()) {
      Map<String, String> of = ns.getMetadata().getLabels();
      labels.put(ns.getMetadata().getName(), of == null ? Map.of() : Map.copyOf(of));
    }
    List<JsonNode> stored = new ArrayList<>(ofnGateways);
    stored.addAll(functions);
    stored.addAll(routes);
    return new OfflineAdmission.Context(ofnGateways, gatewayApi, labels, stored, false);
  }

  private static List<JsonNode> list(
      KubernetesClient client, Discovery discovery, WatchedKind watched) {
    Optional<String> apiVersion = discovery.apiVersion(watched);
    String kind = watched.kind();
    if (apiVersion.isEmpty()) {
      return new ArrayList<>();
    }
    List<JsonNode> trees = new ArrayList<>();
    for (GenericKubernetesResource item :
        client
            .genericKubernetesResources(apiVersion.get(), kind)
            .inAnyNamespace() // cluster-scoped kinds (GatewayClasses) list the same way
            .list()
            .getItems()) {
      JsonNode tree = client.getKubernetesSerialization().convertValue(item, JsonNode.class);
      // list items come without apiVersion and kind in some servers' answers
      if (!tree.has("apiVersion") || !tree.has("kind")) {
        ((tools.jackson.databind.node.ObjectNode) tree).put("apiVersion", apiVersion.get());
        ((tools.jackson.databind.node.ObjectNode) tree).put("kind", kind);
      }
      trees.add(tree);
    }
    return trees;
  }
}
