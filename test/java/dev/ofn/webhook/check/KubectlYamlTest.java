package dev.ofn.webhook.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Manifests are read as kubectl reads them. The oracle is kubectl itself: {@code
 * cases.kubectl.json} is what {@code kubectl label --local -f cases.yaml z- -o json} (v1.32.4:
 * sigs.k8s.io/yaml over go-yaml v2, then kubectl's unstructured JSON) printed for {@code
 * cases.yaml}, which runs entirely offline; when a kubectl is on the PATH the test asks it again.
 */
class KubectlYamlTest {
  static final Path DIR = Path.of("test/resources/kubectl-yaml");

  @Test
  void readsEveryTrickyInputAsKubectlPrintedIt() throws IOException {
    assertEquals(
        objects(Files.readString(DIR.resolve("cases.kubectl.json"))),
        ours(DIR.resolve("cases.yaml")));
  }

  @Test
  void readsEveryTrickyInputAsTheKubectlOnThisMachineDoes() throws Exception {
    Assumptions.assumeTrue(onPath("kubectl"), "no kubectl on the PATH");
    Process kubectl =
        new ProcessBuilder(
                "kubectl",
                "label",
                "--local",
                "-f",
                DIR.resolve("cases.yaml").toString(),
                "z-",
                "-o",
                "json")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String printed = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, kubectl.exitValue());
    assertEquals(objects(printed), ours(DIR.resolve("cases.yaml")));
  }

  /** Inputs kubectl refuses ("error converting YAML to JSON: ..."): refused here too, one line. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a: .inf                      | 4: `.inf` is not a JSON number (json: unsupported value: +Inf)",
        "a: [.nan]                    | 4: `.nan` is not a JSON number (json: unsupported value: NaN)",
        "a: {~: x}                    | 4: unsupported map key: null",
        "a: {[1]: x}                  | 4: invalid map key: a key must be a string, number or bool",
        "a: &a [*a]                   | 4: an anchor's value contains itself",
        "a: !!int x                   | 4: cannot decode !!str `x` as a !!int",
        "a: {<<: 1}                   | 4: map merge requires map or sequence of maps as the value",
      })
  void refusesWhatKubectlRefuses(String yaml, String expected) {
    String text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n" + yaml + "\n";
    assertEquals(List.of("x.yaml: line " + expected), problems(text));
  }

  @Test
  void aBillionLaughsIsRefusedAsGoYamlRefusesIt() {
    StringBuilder text =
        new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    text.append("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    String previous = "a";
    for (char c = 'b'; c <= 'i'; c++) {
      text.append(c).append(": &").append(c).append(" [");
      text.append(String.join(", ", java.util.Collections.nCopies(9, "*" + previous)));
      text.append("]\n");
      previous = String.valueOf(c);
    }
    assertEquals(
        List.of("x.yaml: line 4: the document contains excessive aliasing"),
        problems(text.toString()));
  }

  /** kubectl's YAMLReader returns the error instead of the document it was reading. */
  @Test
  void aSeparatorWithTextAfterItStopsTheFileAsInKubectl() {
    String text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n--- {a: 1}\nb: 2\n";
    assertEquals(
        List.of("x.yaml: line 4: invalid Yaml document separator: {a: 1}"), problems(text));
    assertEquals(1, Manifests.parse("x.yaml", text).size());
  }

  @Test
  void fieldLinesCountFromTheFileNotTheDocument() {
    String text = "a: 1\n---\n# comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n";
    List<Object> items = Manifests.parse("x.yaml", text);
    Manifests.Document second = (Manifests.Document) items.get(1);
    assertEquals(4, second.line());
    assertEquals(7, second.lineOf("metadata.name"));
  }

  private static List<String> problems(String text) {
    List<String> out = new ArrayList<>();
    for (Object item : Manifests.parse("x.yaml", text)) {
      if (item instanceof Manifests.Problem p) {
        out.add(p.render());
      }
    }
    return out;
  }

  static List<JsonNode> ours(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (Object item : Manifests.parse(file.toString(), Files.readString(file))) {
      out.add(withoutEmptyLabels(((Manifests.Document) item).object()));
    }
    return out;
  }

  /** A stream of JSON objects, as kubectl prints several. */
  static List<JsonNode> objects(String json) {
    List<JsonNode> out = new ArrayList<>();
    Json.MAPPER
        .readValues(Json.MAPPER.createParser(json), JsonNode.class)
        .forEachRemaining(o -> out.add(withoutEmptyLabels(o)));
    return out;
  }

  /** {@code label z-} leaves an empty labels map on objects that had none. */
  private static JsonNode withoutEmptyLabels(JsonNode object) {
    ObjectNode copy = (ObjectNode) object.deepCopy();
    if (copy.path("metadata").path("labels").isEmpty()) {
      ((ObjectNode) copy.path("metadata")).remove("labels");
    }
    return copy;
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
