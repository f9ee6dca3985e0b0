package dev.ofn.webhook.cluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CRD informer's store, holding only what says whether a kind is served: a cluster's CRDs carry
 * their OpenAPI schemas (hundreds of kilobytes each), which are dropped before caching.
 */
final class CrdStore extends BasicItemStore<CustomResourceDefinition> {
  CrdStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public CustomResourceDefinition put(String key, CustomResourceDefinition crd) {
    crd.getMetadata().setManagedFields(null);
    crd.getMetadata().setAnnotations(null);
    if (crd.getSpec() != null && crd.getSpec().getVersions() != null) {
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        version.setSchema(null);
        version.setAdditionalPrinterColumns(null);
      }
    }
    return super.put(key, crd);
  }

  /**
   * The first of the kind's versions that {@code crd} serves; empty when there is no CRD, it is
   * being deleted, or serves none of them.
   */
  static Optional<String> servedVersion(WatchedKind kind, CustomResourceDefinition crd) {
    if (crd == null
        || crd.getMetadata().getDeletionTimestamp() != null
        || crd.getSpec() == null
        || crd.getSpec().getVersions() == null) {
      return Optional.empty();
    }
    Set<String> served =
        crd.getSpec().getVersions().stream()
            .filter(v -> Boolean.TRUE.equals(v.getServed()))
            .map(CustomResourceDefinitionVersion::getName)
            .collect(Collectors.toSet());
    return kind.versions().stream().filter(served::contains).findFirst();
  }

  /**
   * True while a new CRD is not yet established: its status says Established is not True, or has no
   * Established condition yet. A CRD without any conditions counts as established: the API server
   * writes them at once, and test servers never do.
   */
  static boolean pending(CustomResourceDefinition crd) {
    if (crd == null || crd.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    List<CustomResourceDefinitionCondition> conditions =
        crd.getStatus() == null ? null : crd.getStatus().getConditions();
    if (conditions == null || conditions.isEmpty()) {
      return false;
    }
    return conditions.stream()
        .noneMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
