package dev.ofn.webhook.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.BuildInfo;
import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One version string: the pom's (filtered into the jar, printed by {@code webhook -V}) is the
 * chart's version and appVersion and the image tag of manifests/ and of the chart.
 */
class VersionAgreementTest {
  @Test
  void pomChartAndImageTagAgree() throws IOException {
    String version = BuildInfo.version();
    assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
    JsonNode chart = Json.YAML.readTree(Files.readString(ChartTest.CHART.resolve("Chart.yaml")));
    assertEquals(version, chart.path("version").asString(), "Chart.yaml version");
    assertEquals(version, chart.path("appVersion").asString(), "Chart.yaml appVersion");
    JsonNode images =
        Json.YAML.readTree(chart.path("annotations").path("artifacthub.io/images").asString());
    assertEquals(
        "ghcr.io/ofn-webhook/ofn-webhook:" + version,
        images.get(0).path("image").asString(),
        "Chart.yaml artifacthub.io/images");

    for (var docs :
        Map.of(
                "manifests/", Kustomize.render(Kustomize.manifests()),
                "helm template", ChartTest.render(Map.of()))
            .entrySet()) {
      JsonNode deployment = Kustomize.find(docs.getValue(), "Deployment", "ofn-webhook");
      JsonNode pod = deployment.path("spec").path("template");
      assertEquals(
          "ghcr.io/ofn-webhook/ofn-webhook:" + version,
          pod.path("spec").path("containers").get(0).path("image").asString(),
          docs.getKey());
      assertEquals(
          version,
          pod.path("metadata").path("labels").path("app.kubernetes.io/version").asString(),
          docs.getKey());
    }
  }
}
