package dev.ofn.webhook.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.json.Json;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart README's values table is the one values.yaml's comments give. */
class ChartReadmeTest {
  @Test
  void theValuesTableIsCurrent() throws Exception {
    if (Boolean.getBoolean("chart.readme.update")) {
      ChartReadme.update(ChartTest.CHART);
    }
    String readme = Files.readString(ChartTest.CHART.resolve("README.md"));
    String values = Files.readString(ChartTest.CHART.resolve("values.yaml"));
    assertEquals(
        ChartReadme.regenerate(readme, values),
        readme,
        "charts/ofn-webhook/README.md is stale: mvn test -Dtest=ChartReadmeTest"
            + " -Dchart.readme.update=true");
  }

  @Test
  void everyTopLevelValueHasARow() throws Exception {
    String values = Files.readString(ChartTest.CHART.resolve("values.yaml"));
    List<String> documented =
        ChartReadme.rows(values).stream().map(ChartReadme.Row::key).collect(Collectors.toList());
    Json.YAML
        .readTree(values)
        .propertyNames()
        .forEach(
            key ->
                assertTrue(
                    documented.stream().anyMatch(d -> d.equals(key) || d.startsWith(key + ".")),
                    key + " has no \"# --\" comment, nor any of its keys"));
  }

  @Test
  void rowsCarryPathDefaultAndTheWholeComment() {
    String values =
        """
        # header, not a value's
        image:
          # -- Image of the server,
          # and more.
          repository: ghcr.io/x/y
        undocumented: 1
        # -- Off.
        hostnameOwnership: "off"
        # -- A list.
        extraArgs: []
        """;
    assertEquals(
        List.of(
            new ChartReadme.Row(
                "image.repository", "\"ghcr.io/x/y\"", "Image of the server, and more."),
            new ChartReadme.Row("hostnameOwnership", "\"off\"", "Off."),
            new ChartReadme.Row("extraArgs", "[]", "A list.")),
        ChartReadme.rows(values));
  }
}
