package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.BuildInfo;
import dev.ofn.webhook.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code check} refuses what the API server refuses, and a gate that checked nothing fails. */
class ApiServerParityTest {
  static final String TRIGGERZ =
      """
      apiVersion: core.openfunction.io/v1beta2
      kind: Function
      metadata:
        name: shop
      spec:
        version: v1
        image: example/shop:latest
        serving:
          triggerz:
            http: {port: 8080}
          triggers:
            http:
              port: 8080
              route:
                rules:
                  - matches: [{path: {type: PathPrefix, value: /}, bogus: 1}]
      """;

  @Test
  void unknownFieldsAreRefusedWithTheirPathAndLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("shop.yaml"), TRIGGERZ);
    MainTest.Run run = MainTest.run(Map.of(), "check", "-f", file.toString());
    assertEquals(1, run.code(), run.out());
    assertEquals(
        List.of(
            file + ": Function default/shop: spec.serving.triggerz: unknown field",
            file
                + ": Function default/shop:"
                + " spec.serving.triggers.http.route.rules[0].matches[0].bogus: unknown field"),
        run.out().lines().toList());
    JsonNode json =
        Json.MAPPER.readTree(
            MainTest.run(Map.of(), "check", "-o", "json", "-f", file.toString()).out());
    assertEquals(9, json.path("findings").get(0).path("line").asInt());
    assertEquals("spec.serving.triggerz", json.path("findings").get(0).path("field").asString());
    assertEquals(16, json.path("findings").get(1).path("line").asInt());
  }

  @Test
  void strictOnAFolderWithNothingToCheckFails(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("notes.yaml"), "# nothing here\n");
    MainTest.Run run = MainTest.run(Map.of(), "check", "--strict", "-f", dir.toString());
    assertEquals(1, run.code(), run.out());
    assertEquals(
        "webhook check: nothing to check in "
            + dir
            + " (--strict fails when no object was checked)",
        run.err().strip());
  }

  @Test
  void sarifNamesTheBuildsVersion(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("shop.yaml"), TRIGGERZ);
    JsonNode sarif =
        Json.MAPPER.readTree(
            MainTest.run(Map.of(), "check", "-o", "sarif", "-f", file.toString()).out());
    String version =
        sarif.path("runs").get(0).path("tool").path("driver").path("version").asString();
    assertEquals(BuildInfo.version(), version);
    assertEquals(false, "dev".equals(version), "the build's version, read from build.properties");
  }
}
