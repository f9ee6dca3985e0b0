package dev.ofn.webhook.cluster;

import dev.ofn.webhook.model.Names;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/** API discovery: which of our resources the cluster serves, and at which version. */
public final class ClusterResources {
  public static final String OFN_GATEWAYS = Names.OFN_GATEWAY_API_VERSION;
  public static final String FUNCTIONS = Names.FUNCTION_API_VERSION;
  public static final String GATEWAY_API_GROUP = Names.GATEWAY_API_GROUP;

  private ClusterResources() {}

  /** True when {@code apiVersion} serves the resource {@code plural}. */
  public static boolean serves(KubernetesClient client, String apiVersion, String plural) {
    try {
      APIResourceList list = client.getApiResources(apiVersion);
      return list != null
          && list.getResources().stream().map(APIResource::getName).anyMatch(plural::equals);
    } catch (RuntimeException e) {
      return false; // a group the cluster does not serve answers 404
    }
  }

  /**
   * The newest of v1 > v1beta1 under which Gateway API serves {@code plural} (docs/behaviour.md
   * §1), if any.
   */
  public static Optional<String> gatewayApiVersion(KubernetesClient client, String plural) {
    for (String version : List.of("v1", "v1beta1")) {
      String apiVersion = GATEWAY_API_GROUP + "/" + version;
      if (serves(client, apiVersion, plural)) {
        return Optional.of(apiVersion);
      }
    }
    return Optional.empty();
  }
}
