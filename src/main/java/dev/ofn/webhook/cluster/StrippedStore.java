package dev.ofn.webhook.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An informer's store that drops what no decision reads before an object is cached, as
 * controller-runtime's cache transform is used for: {@code metadata.managedFields} (often the
 * largest part of an object) and kubectl's last-applied-configuration annotation (a second copy of
 * the object). The object is trimmed in place, so event listeners see the trimmed copy too.
 */
final class StrippedStore extends BasicItemStore<GenericKubernetesResource> {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  StrippedStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
    return super.put(key, strip(object));
  }

  static GenericKubernetesResource strip(GenericKubernetesResource object) {
    ObjectMeta metadata = object.getMetadata();
    if (metadata != null) {
      metadata.setManagedFields(null);
      Map<String, String> annotations = metadata.getAnnotations();
      if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
        Map<String, String> kept = new LinkedHashMap<>(annotations);
        kept.remove(LAST_APPLIED);
        metadata.setAnnotations(kept);
      }
    }
    return object;
  }
}
