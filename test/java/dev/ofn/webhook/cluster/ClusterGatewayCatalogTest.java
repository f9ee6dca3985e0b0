package dev.ofn.webhook.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The informer-backed catalog against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ClusterGatewayCatalogTest {
  KubernetesMockServer server;
  KubernetesClient client;

  /** Discovery answers as a cluster with the OFN Gateway CRD and Gateway API v1 installed. */
  @BeforeEach
  void discovery() {
    serve("networking.openfunction.io/v1alpha1", "gateways", "Gateway");
    serve("gateway.networking.k8s.io/v1", "gateways", "Gateway");
  }

  private void serve(String apiVersion, String plural, String kind) {
    server
        .expect()
        .get()
        .withPath("/apis/" + apiVersion)
        .andReturn(
            200,
            new APIResourceListBuilder()
                .withGroupVersion(apiVersion)
                .withResources(
                    new APIResourceBuilder()
                        .withName(plural)
                        .withKind(kind)
                        .withNamespaced(true)
                        .build())
                .build())
        .always();
  }

  @Test
  void readsGatewaysListenersAndNamespaceLabelsFromInformers() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("team-a")
                .addToLabels("ofn.io/webhook", "parity-only")
                .endMetadata()
                .build())
        .create();
    try (Informers informers = new Informers(client, false)) {
      ClusterGatewayCatalog catalog = new ClusterGatewayCatalog(client, informers);
      AtomicInteger changes = new AtomicInteger();
      ChangeListener<GenericKubernetesResource> counter =
          ChangeListener.any(changed -> changes.incrementAndGet());
      informers.ofnGateways().onChange(counter);
      informers.k8sGateways().onChange(counter);
      informers.namespaces().onChange(counter);
      informers.start();
      await().atMost(Duration.ofSeconds(20)).until(informers::synced);
      // no Function or HTTPRoute CRD in this cluster: those informers do not run
      assertEquals(
          Map.of("ofn-gateways", true, "k8s-gateways", true, "namespaces", true),
          informers.syncState());

      GenericKubernetesResource ofn =
          client
              .getKubernetesSerialization()
              .convertValue(Fixtures.load("default-gateway.yaml"), GenericKubernetesResource.class);
      client
          .genericKubernetesResources("networking.openfunction.io/v1alpha1", "Gateway")
          .inNamespace("openfunction")
          .resource(ofn)
          .create();
      NamespacedName id = new NamespacedName("openfunction", "openfunction");
      await().atMost(Duration.ofSeconds(20)).until(() -> catalog.ofnGateway(id).isPresent());
      OfnGateway gateway = catalog.ofnGateway(id).get();
      assertEquals("ofn.io", gateway.domain());
      assertEquals(new NamespacedName("projectcontour", "contour"), gateway.k8sGateway());
      assertFalse(catalog.mayFetch(id));
      assertTrue(catalog.mayFetch(new NamespacedName("openfunction", "absent")));
      assertTrue(catalog.fetchOfnGateway(new NamespacedName("openfunction", "absent")).isEmpty());
      // a 404 is remembered: the next reviews neither hop to a worker nor ask the cluster again
      assertFalse(catalog.mayFetch(new NamespacedName("openfunction", "absent")));

      GenericKubernetesResource contour =
          client
              .getKubernetesSerialization()
              .unmarshal(
                  """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: contour, namespace: projectcontour}
          spec:
            gatewayClassName: contour
            listeners:
            - {name: web, hostname: "*.example.com", port: 8080, protocol: HTTP}
          """,
                  GenericKubernetesResource.class);
      client
          .genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway")
          .inNamespace("projectcontour")
          .resource(contour)
          .create();
      NamespacedName k8s = new NamespacedName("projectcontour", "contour");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> catalog.k8sGatewayListeners(k8s).isPresent());
      assertEquals(
          List.of(
              new Listener(
                  "web",
                  "*.example.com",
                  8080,
                  "HTTP",
                  tools.jackson.databind.node.MissingNode.getInstance())),
          catalog.k8sGatewayListeners(k8s).get());

      assertEquals("parity-only", catalog.namespaceLabels("team-a").get("ofn.io/webhook"));
      assertTrue(changes.get() >= 3, "change notifications: " + changes.get());
    }
  }

  @Test
  void aGatewayCreatedAnInstantBeforeItsFunctionIsFoundByOneLiveRead() {
    try (Informers informers = new Informers(client, false)) {
      ClusterGatewayCatalog catalog = new ClusterGatewayCatalog(client, informers);
      informers.start();
      await().atMost(Duration.ofSeconds(20)).until(informers::synced);
      informers.close(); // the informers stop: from now on only a live read sees new gateways
      GenericKubernetesResource ofn =
          client
              .getKubernetesSerialization()
              .convertValue(Fixtures.load("default-gateway.yaml"), GenericKubernetesResource.class);
      client
          .genericKubernetesResources("networking.openfunction.io/v1alpha1", "Gateway")
          .inNamespace("openfunction")
          .resource(ofn)
          .create();
      NamespacedName id = new NamespacedName("openfunction", "openfunction");
      assertTrue(catalog.ofnGateway(id).isEmpty());
      assertTrue(catalog.mayFetch(id));
      assertEquals("ofn.io", catalog.fetchOfnGateway(id).orElseThrow().domain());
    }
  }
}
