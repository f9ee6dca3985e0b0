package dev.ofn.webhook.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ofn.webhook.json.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code webhook default} prints reads back, through the reader kubectl's parser is compared
 * with, to the very value it printed: characters YAML treats as line breaks (NEL, U+2028, U+2029)
 * or cannot print (DEL) are escaped, not written raw.
 */
class YamlOutputTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\u0085b",
        "a\u2028b",
        "a\u2029b",
        "a\u007Fb",
        "\u0085",
        "x: \u2028y",
        "line\none\u0085two",
        "caf\u00e9 \u00e8 \u4e2d"
      })
  void whatDefaultPrintsReadsBackToTheSameValue(String value) {
    ObjectNode object = Json.MAPPER.createObjectNode();
    object.putObject("metadata").putObject("annotations").put("note", value).put(value, "key");
    String printed = YamlOutput.write(object);
    List<Object> read = KubectlYaml.documents(printed);
    assertEquals(1, read.size(), printed);
    assertInstanceOf(KubectlYaml.Read.class, read.get(0), printed + " => " + read.get(0));
    JsonNode back = ((KubectlYaml.Read) read.get(0)).value();
    assertEquals(object, back, printed);
  }
}
