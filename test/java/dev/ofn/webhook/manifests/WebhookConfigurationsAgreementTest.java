package dev.ofn.webhook.manifests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.tls.WebhookConfigurations;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One source of truth: manifests/webhook-configurations/*.yaml, packaged into the jar by the build
 * (no copy in the tree), and what {@link WebhookConfigurations} loads from them equals what
 * kustomize renders.
 */
class WebhookConfigurationsAgreementTest {
  static final Path MANIFESTS = Kustomize.manifests().resolve("webhook-configurations");

  @Test
  void theJarServesTheManifestsOwnFiles() throws IOException {
    for (String name : list(MANIFESTS)) {
      byte[] manifest = Files.readAllBytes(MANIFESTS.resolve(name));
      try (InputStream packaged =
          getClass().getClassLoader().getResourceAsStream("webhook-configurations/" + name)) {
        assertNotNull(packaged, name + " on the classpath");
        assertArrayEquals(manifest, packaged.readAllBytes(), name + " on the classpath (rebuild)");
      }
    }
  }

  @Test
  void codeLoadsWhatKustomizeRenders() {
    List<ObjectNode> docs = Kustomize.render(Kustomize.manifests());
    assertEquals(
        Kustomize.find(docs, "MutatingWebhookConfiguration", "ofn-webhook"),
        tree(WebhookConfigurations.mutating()));
    assertEquals(
        Kustomize.find(docs, "ValidatingWebhookConfiguration", "ofn-webhook"),
        tree(WebhookConfigurations.validating()));
  }

  /** docs/behaviour.md §1's table, which the admission router serves. */
  @Test
  void endpointTable() {
    assertEquals(
        List.of(
            new Endpoint("mfunctions.of.io", "/mutate-core-openfunction-io-v1beta2-function", true),
            new Endpoint(
                "mgateway.of.io", "/mutate-networking-openfunction-io-v1alpha1-gateway", true),
            new Endpoint(
                "vfunctions.of.io", "/validate-core-openfunction-io-v1beta2-function", false),
            new Endpoint(
                "vgateway.of.io", "/validate-networking-openfunction-io-v1alpha1-gateway", false),
            new Endpoint(
                "vhttproutes.of.io", "/validate-gateway-networking-k8s-io-v1-httproute", false),
            new Endpoint(
                "vgrpcroutes.of.io", "/validate-gateway-networking-k8s-io-v1-grpcroute", false)),
        endpoints());
  }

  /** A webhook of the packaged configurations: name, service path, mutating or validating. */
  record Endpoint(String webhook, String path, boolean mutating) {}

  /** The packaged configurations' webhooks, mutating first, in file order. */
  private static List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new java.util.ArrayList<>();
    WebhookConfigurations.mutating()
        .getWebhooks()
        .forEach(
            w ->
                endpoints.add(
                    new Endpoint(w.getName(), w.getClientConfig().getService().getPath(), true)));
    WebhookConfigurations.validating()
        .getWebhooks()
        .forEach(
            w ->
                endpoints.add(
                    new Endpoint(w.getName(), w.getClientConfig().getService().getPath(), false)));
    return List.copyOf(endpoints);
  }

  static JsonNode tree(Object fabric8Object) {
    return Json.MAPPER.readTree(new KubernetesSerialization().asJson(fabric8Object));
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
