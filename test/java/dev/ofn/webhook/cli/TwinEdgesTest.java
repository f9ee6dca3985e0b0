package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.json.Json;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two edges of the admission core give the same answers: every fixture and every object {@code
 * make e2e} applies, sent over real HTTPS to {@code webhook serve} (mutating review, patch applied,
 * then the validating review), prints exactly the lines {@code webhook check} prints for the file.
 */
class TwinEdgesTest {
  /** A fresh server per file: each file is checked on its own, against an empty index. */
  TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Stream<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir : List.of(Fixtures.dir(), Fixtures.dir().resolveSibling("e2e/fixtures"))) {
      try (Stream<Path> listed = Files.list(dir)) {
        listed.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
      }
    }
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void checkPrintsWhatTheServerAnswers(Path file) throws Exception {
    MainTest.Run check = MainTest.run(Map.of(), "check", "-f", file.toString());
    List<String> viaServer = new ArrayList<>();
    for (JsonNode document :
        Json.YAML
            .readValues(Json.YAML.createParser(Files.readString(file)), JsonNode.class)
            .readAll()) {
      ObjectNode object = (ObjectNode) document;
      if (Json.string(object, "metadata", "namespace").isEmpty()) {
        Json.objectAt(object, "metadata").put("namespace", "default");
      }
      List<String> errors = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      JsonNode current = object;
      for (Endpoint endpoint : Endpoint.forObject(object)) {
        JsonNode response = server.review(endpoint, "CREATE", current, null);
        response.path("warnings").forEach(w -> warnings.add(w.asString()));
        if (response.has("patch")) {
          current =
              JsonPatch.apply(
                  Json.MAPPER.readTree(
                      Base64.getDecoder().decode(response.path("patch").asString())),
                  current);
        }
        if (!response.path("allowed").asBoolean()) {
          errors.addAll(List.of(response.path("status").path("message").asString().split("\n")));
        }
      }
      String prefix =
          file
              + ": "
              + object.path("kind").asString()
              + " "
              + object.path("metadata").path("namespace").asString()
              + "/"
              + object.path("metadata").path("name").asString()
              + ": ";
      errors.forEach(e -> viaServer.add(prefix + e));
      warnings.forEach(w -> viaServer.add(prefix + "warning: " + w));
    }
    assertEquals(String.join("\n", viaServer), check.out().strip(), check.err());
    assertEquals(
        viaServer.stream().anyMatch(l -> !l.contains(": warning: ")) ? 1 : 0, check.code());
  }
}
