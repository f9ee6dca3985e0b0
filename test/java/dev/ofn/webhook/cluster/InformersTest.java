package dev.ofn.webhook.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.NamespacedName;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
      // the controller's informers are not waited for by readiness: until they have listed too
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !informers.syncState().containsValue(false));
      // every running informer, admission and controller ones alike, in the sync state
      assertEquals(
          Map.of(
              "k8s-gateways", true,
              "httproutes", true,
              "namespaces", true,
              "services", true),
          informers.syncState());
      assertEquals(
          List.of(
              "ofn-gateways",
              "functions",
              "grpcroutes",
              "gatewayclasses",
              "listenersets",
              "knative-services"),
          informers.missing().stream().map(WatchedKind::name).toList());
      assertEquals(List.of(), informers.functions().list());
      assertEquals(
          "gateway.networking.k8s.io/v1", informers.httpRoutes().apiVersion().orElseThrow());
    }
  }

  /**
   * Gateway API only: OpenFunction's kinds are neither watched nor missing although their CRDs are
   * installed (that install's RBAC may not read them; a watch would retry 403s forever and never be
   * ready).
   */
  @Test
  void withoutOpenFunctionItsInstalledKindsAreNotWatched() throws IOException {
    for (String file :
        List.of(
            "core.openfunction.io_functions.yaml",
            "networking.openfunction.io_gateways.yaml",
            "gateway.networking.k8s.io_gateways.yaml",
            "gateway.networking.k8s.io_httproutes.yaml")) {
      installCrd(file);
    }
    try (Informers informers = new Informers(client, false, false)) {
      informers.start();
      await().atMost(Duration.ofSeconds(20)).until(informers::synced);
      assertEquals(
          Map.of("k8s-gateways", true, "httproutes", true, "namespaces", true),
          informers.syncState());
      assertEquals(
          List.of("grpcroutes", "gatewayclasses", "listenersets"),
          informers.missing().stream().map(WatchedKind::name).toList());
    }
  }

  @Test
  void aKindWhoseCrdComesLaterIsWatchedWithoutARestartAndStopsWhenItGoes() throws IOException {
    for (String file :
        List.of(
            "core.openfunction.io_functions.yaml",
            "networking.openfunction.io_gateways.yaml",
            "gateway.networking.k8s.io_gateways.yaml",
            "gateway.networking.k8s.io_httproutes.yaml",
            "gateway.networking.k8s.io_grpcroutes.yaml",
            "gateway.networking.k8s.io_gatewayclasses.yaml",
            "gateway.networking.k8s.io_listenersets.yaml")) {
      installCrd(file);
    }
    try (Informers informers = new Informers(client, true)) {
      List<String> heard = new CopyOnWriteArrayList<>();
      informers
          .knativeServices()
          .onChange(
              new ChangeListener<>() {
                @Override
                public void changed(GenericKubernetesResource old, GenericKubernetesResource now) {
                  heard.add("changed " + now.getMetadata().getName());
                }

                @Override
                public void deleted(GenericKubernetesResource gone) {
                  heard.add("deleted " + gone.getMetadata().getName());
                }
              });
      AtomicInteger servedChanges = new AtomicInteger();
      informers.onServedChange(servedChanges::incrementAndGet);
      informers.start();
      await().atMost(Duration.ofSeconds(20)).until(informers::synced);
      assertFalse(informers.knativeServices().served());
      assertEquals(
          Optional.of(
              "CRDs not installed: services.serving.knative.dev (Knative Functions get no route)"),
          informers.missingWarning());

      CustomResourceDefinition knative =
          client
              .getKubernetesSerialization()
              .unmarshal(
                  Files.readString(Path.of("test/e2e/knative-service-crd.yaml")),
                  CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(knative).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> informers.knativeServices().synced());
      assertEquals(Optional.empty(), informers.missingWarning());
      assertEquals(1, servedChanges.get());
      assertEquals(
          "serving.knative.dev/v1", informers.knativeServices().apiVersion().orElseThrow());
      client
          .resource(
              route(
                  """
                  apiVersion: serving.knative.dev/v1
                  kind: Service
                  metadata: {name: ksvc, namespace: default}
                  """))
          .create();
      await().atMost(Duration.ofSeconds(20)).until(() -> heard.contains("changed ksvc"));

      client.apiextensions().v1().customResourceDefinitions().resource(knative).delete();
      // told after the informer stopped and its objects were reported gone
      await().atMost(Duration.ofSeconds(20)).until(() -> servedChanges.get() == 2);
      assertFalse(informers.knativeServices().served());
      assertEquals(List.of("changed ksvc", "deleted ksvc"), heard);
      assertEquals(List.of(), informers.knativeServices().list());
      assertTrue(informers.missingWarning().isPresent());
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
