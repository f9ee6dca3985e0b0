package dev.ofn.webhook.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.NamespacedName;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The one owner of the informers, against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class InformersTest {
  KubernetesClient client;

  private void installCrd(String file) throws IOException {
    CustomResourceDefinition crd =
        client
            .getKubernetesSerialization()
            .unmarshal(
                Files.readString(Fixtures.crds().resolve(file)), CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  private GenericKubernetesResource route(String yaml) {
    return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  @Test
  void managedFieldsAndTheLastAppliedAnnotationAreDroppedBeforeCaching() throws IOException {
    installCrd("gateway.networking.k8s.io_httproutes.yaml");
    client
        .resource(
            route(
                """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: shop
                  namespace: team-a
                  annotations:
                    team: a
                    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"HTTPRoute"}'
                  managedFields:
                  - {manager: kubectl, operation: Apply, apiVersion: gateway.networking.k8s.io/v1}
                spec:
                  hostnames: [shop.example.com]
                """))
        .create();
    try (Informers informers = new Informers(client, false)) {
      List<GenericKubernetesResource> heard = new CopyOnWriteArrayList<>();
      informers.httpRoutes().onChange(ChangeListener.any(heard::add));
      informers.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> heard.size() == 1);

      GenericKubernetesResource cached =
          informers.httpRoutes().get(new NamespacedName("team-a", "shop")).orElseThrow();
      assertEquals(Map.of("team", "a"), cached.getMetadata().getAnnotations());
      assertNull(cached.getMetadata().getManagedFields());
      assertEquals(Map.of("team", "a"), heard.get(0).getMetadata().getAnnotations());
      assertNull(heard.get(0).getMetadata().getManagedFields());
      assertEquals(
          List.of("shop.example.com"),
          client
              .getKubernetesSerialization()
              .convertValue(cached.getAdditionalProperties().get("spec"), Map.class)
              .get("hostnames"));
    }
  }

  @Test
  void withoutOpenFunctionCrdsTheServerIsReadyAndSaysWhatItLacks() throws IOException {
    installCrd("gateway.networking.k8s.io_gateways.yaml");
    installCrd("gateway.networking.k8s.io_httproutes.yaml");
    try (Informers informers = new Informers(client, true)) {
      informers.start();
      await().atMost(Duration.ofSeconds(20)).until(informers::synced);
      // every running informer, admission and controller ones alike, in the sync state
      assertEquals(
          Map.of(
              "k8s-gateways", true,
              "httproutes", true,
              "namespaces", true,
              "services", true),
          informers.syncState());
      assertEquals(
          List.of("ofn-gateways", "functions", "knative-services"),
          informers.missing().stream().map(WatchedKind::name).toList());
      assertEquals(List.of(), informers.functions().list());
      assertEquals(
          "gateway.networking.k8s.io/v1", informers.httpRoutes().apiVersion().orElseThrow());
    }
  }

  @Test
  void listenersAreAddedBeforeTheStart() {
    try (Informers informers = new Informers(client, false)) {
      informers.start();
      IllegalStateException late =
          assertThrows(
              IllegalStateException.class,
              () -> informers.functions().onChange(ChangeListener.any(changed -> {})));
      assertEquals("functions: listeners are added before the start", late.getMessage());
    }
  }
}
