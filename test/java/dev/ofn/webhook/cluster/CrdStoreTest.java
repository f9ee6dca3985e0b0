package dev.ofn.webhook.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a CRD's kind counts as served, and what of a CRD is cached. */
class CrdStoreTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static CustomResourceDefinition crd(String versions, String status) {
    return YAML.unmarshal(
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: httproutes.gateway.networking.k8s.io}
        spec:
          group: gateway.networking.k8s.io
          names: {kind: HTTPRoute, plural: httproutes}
          scope: Namespaced
          versions: %s
        %s
        """
            .formatted(versions, status),
        CustomResourceDefinition.class);
  }

  private static final String BOTH =
      "[{name: v1beta1, served: true, storage: false, schema: {openAPIV3Schema: {type: object}}},"
          + " {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]";

  @Test
  void thePreferredServedVersionWins() {
    assertEquals(Optional.of("v1"), CrdStore.servedVersion(WatchedKind.HTTP_ROUTES, crd(BOTH, "")));
    assertEquals(
        Optional.of("v1beta1"),
        CrdStore.servedVersion(
            WatchedKind.HTTP_ROUTES,
            crd(
                "[{name: v1beta1, served: true, storage: true}, {name: v1, served: false,"
                    + " storage: false}]",
                "")));
    assertEquals(
        Optional.empty(),
        CrdStore.servedVersion(
            WatchedKind.HTTP_ROUTES, crd("[{name: v1alpha2, served: true, storage: true}]", "")));
    assertEquals(Optional.empty(), CrdStore.servedVersion(WatchedKind.HTTP_ROUTES, null));
  }

  @Test
  void aNewCrdIsPendingUntilEstablished() {
    assertTrue(
        CrdStore.pending(
            crd(BOTH, "status: {conditions: [{type: NamesAccepted, status: 'True'}]}")));
    assertTrue(
        CrdStore.pending(
            crd(BOTH, "status: {conditions: [{type: Established, status: 'False'}]}")));
    assertFalse(
        CrdStore.pending(crd(BOTH, "status: {conditions: [{type: Established, status: 'True'}]}")));
    assertFalse(CrdStore.pending(crd(BOTH, "")), "no conditions at all: a test server's CRD");
    assertFalse(CrdStore.pending(null));
  }

  @Test
  void schemasAreNotCached() {
    CrdStore store = new CrdStore();
    store.put("httproutes.gateway.networking.k8s.io", crd(BOTH, ""));
    CustomResourceDefinition cached = store.get("httproutes.gateway.networking.k8s.io");
    assertNull(cached.getSpec().getVersions().get(0).getSchema());
    assertEquals(Optional.of("v1"), CrdStore.servedVersion(WatchedKind.HTTP_ROUTES, cached));
  }
}
