package dev.ofn.webhook.cluster;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One pass of API discovery: which version of each watched kind the cluster serves. Each group
 * version is asked once per pass, however many kinds live in it.
 */
public final class Discovery {
  private final KubernetesClient client;
  private final Map<String, Set<String>> resources = new HashMap<>();

  public Discovery(KubernetesClient client) {
    this.client = client;
  }

  /** The first of the kind's versions the cluster serves; a built-in kind's is always served. */
  public Optional<String> version(WatchedKind kind) {
    if (kind.builtIn()) {
      return Optional.of(kind.versions().get(0));
    }
    for (String version : kind.versions()) {
      if (resources(kind.apiVersion(version)).contains(kind.plural())) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }

  /** The kind's served {@code group/version}, if any. */
  public Optional<String> apiVersion(WatchedKind kind) {
    return version(kind).map(kind::apiVersion);
  }

  private Set<String> resources(String apiVersion) {
    return resources.computeIfAbsent(
        apiVersion,
        gv -> {
          try {
            APIResourceList list = client.getApiResources(gv);
            return list == null
                ? Set.of()
                : list.getResources().stream()
                    .map(APIResource::getName)
                    .collect(Collectors.toUnmodifiableSet());
          } catch (RuntimeException e) {
            return Set.of(); // a group version the cluster does not serve answers 404
          }
        });
  }
}
