package dev.ofn.webhook.manifests;

import static dev.ofn.webhook.manifests.WebhookManifestsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The optional pieces: the cert-manager component (through an overlay, as a user would) and the
 * CRDs.
 */
class ComponentsTest {
  @TempDir Path overlay;

  @Test
  void certManagerComponent() throws IOException {
    // Kustomize refuses absolute paths to bases: the overlay names them relative to itself.
    Path manifests = overlay.toAbsolutePath().relativize(Kustomize.manifests());
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        "resources: ["
            + manifests
            + "]\n"
            + "components: ["
            + manifests.resolve("components/cert-manager")
            + "]\n");
    String text = Kustomize.renderText(overlay);
    List<ObjectNode> docs = Kustomize.documents(text);

    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      assertEquals(
          json("{\"cert-manager.io/inject-ca-from\":\"ofn-webhook-system/ofn-webhook-serving\"}"),
          Kustomize.find(docs, kind, "ofn-webhook").path("metadata").path("annotations"),
          kind);
    }
    assertFalse(text.contains("caBundle"), "cainjector fills it");

    JsonNode container =
        Kustomize.find(docs, "Deployment", "ofn-webhook")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertEquals(
        json("[\"serve\",\"--cert-mode=cert-manager\",\"--cert-dir=/etc/ofn-webhook/certs\"]"),
        container.path("args"));
    assertEquals(
        json("{\"name\":\"certs\",\"mountPath\":\"/etc/ofn-webhook/certs\",\"readOnly\":true}"),
        container.path("volumeMounts").get(1));
    JsonNode volumes =
        Kustomize.find(docs, "Deployment", "ofn-webhook")
            .path("spec")
            .path("template")
            .path("spec")
            .path("volumes");
    assertEquals("ofn-webhook-certs", volumes.get(1).path("secret").path("secretName").asString());

    JsonNode serving = Kustomize.find(docs, "Certificate", "ofn-webhook-serving").path("spec");
    assertEquals(
        "ofn-webhook-certs",
        serving.path("secretName").asString(),
        "the Secret the server mounts and RBAC names");
    assertEquals(
        json(
            "[\"ofn-webhook\",\"ofn-webhook.ofn-webhook-system\",\"ofn-webhook.ofn-webhook-system.svc\","
                + "\"ofn-webhook.ofn-webhook-system.svc.cluster.local\"]"),
        serving.path("dnsNames"),
        "the Service's names");
    assertEquals(
        json(
            "{\"algorithm\":\"ECDSA\",\"size\":256,\"encoding\":\"PKCS8\",\"rotationPolicy\":\"Always\"}"),
        serving.path("privateKey"));
    assertEquals("720h", serving.path("duration").asString());
    assertEquals("240h", serving.path("renewBefore").asString());
    assertEquals("ofn-webhook-ca", serving.path("issuerRef").path("name").asString());
    JsonNode ca = Kustomize.find(docs, "Certificate", "ofn-webhook-ca").path("spec");
    assertEquals(true, ca.path("isCA").asBoolean());
    assertEquals(
        "Never",
        ca.path("privateKey").path("rotationPolicy").asString(),
        "CA renewals keep old serving certs valid");
    Kustomize.find(docs, "Issuer", "ofn-webhook-ca");
    Kustomize.find(docs, "Issuer", "ofn-webhook-selfsigned");

    assertEquals(
        Set.of(
            "ClusterRole ofn-webhook",
            "ClusterRole ofn-webhook-controller",
            "Role ofn-webhook",
            "ClusterRoleBinding ofn-webhook",
            "ClusterRoleBinding ofn-webhook-controller",
            "RoleBinding ofn-webhook"),
        rbac(docs),
        "the server neither writes the Secret nor caBundle");
  }

  static Set<String> rbac(List<ObjectNode> docs) {
    return docs.stream()
        .filter(d -> d.path("kind").asString().matches("(Cluster)?Role(Binding)?"))
        .map(d -> d.path("kind").asString() + " " + d.path("metadata").path("name").asString())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void besideOpenFunctionComponentTurnsOurControllerOff() throws IOException {
    Path manifests = overlay.toAbsolutePath().relativize(Kustomize.manifests());
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        "resources: ["
            + manifests
            + "]\n"
            + "components: ["
            + manifests.resolve("components/beside-openfunction")
            + ", "
            + manifests.resolve("components/cert-manager")
            + "]\n");
    List<ObjectNode> docs = Kustomize.render(overlay);
    assertEquals(
        Set.of(
            "ClusterRole ofn-webhook",
            "Role ofn-webhook",
            "ClusterRoleBinding ofn-webhook",
            "RoleBinding ofn-webhook"),
        rbac(docs),
        "no controller writes, no certificate writes");
    JsonNode container =
        Kustomize.find(docs, "Deployment", "ofn-webhook")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertEquals(
        json(
            "[\"serve\",\"--controller=false\",\"--cert-mode=cert-manager\",\"--cert-dir=/etc/ofn-webhook/certs\"]"),
        container.path("args"),
        "components combine");
  }

  @Test
  void crdsKustomizationListsEveryCrdFile() throws IOException {
    Path crds = Kustomize.manifests().resolve("crds");
    Set<String> rendered =
        Kustomize.render(crds).stream()
            .map(d -> d.path("kind").asString() + " " + d.path("metadata").path("name").asString())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> inFiles;
    try (Stream<Path> files = Files.list(crds)) {
      inFiles =
          files
              .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
              .map(
                  p -> {
                    JsonNode crd = Kustomize.documents(read(p)).get(0);
                    return crd.path("kind").asString()
                        + " "
                        + crd.path("metadata").path("name").asString();
                  })
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(inFiles, rendered);
    assertEquals(
        Set.of(
            "CustomResourceDefinition functions.core.openfunction.io",
            "CustomResourceDefinition gateways.networking.openfunction.io",
            "CustomResourceDefinition gatewayclasses.gateway.networking.k8s.io",
            "CustomResourceDefinition gateways.gateway.networking.k8s.io",
            "CustomResourceDefinition httproutes.gateway.networking.k8s.io",
            "CustomResourceDefinition grpcroutes.gateway.networking.k8s.io",
            "CustomResourceDefinition listenersets.gateway.networking.k8s.io",
            "CustomResourceDefinition referencegrants.gateway.networking.k8s.io",
            "CustomResourceDefinition tlsroutes.gateway.networking.k8s.io"),
        rendered);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
