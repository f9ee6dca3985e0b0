package dev.ofn.webhook.validation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.TreePaths;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * "Never throws on any input shape": every node of every fixture, replaced by every JSON type,
 * through both validators in both modes. Wrong shapes must come back as field errors (or nothing),
 * not exceptions — a validating webhook that throws denies with a 500 instead of telling the user
 * why.
 */
class RobustnessTest {
  static final List<String> FILES =
      List.of(Trees.GATEWAY, Trees.SERVING_ONLY, Trees.KEDA_HTTP, Trees.WASMEDGE);
  static final List<JsonNode> SHAPES =
      List.of(
          Json.NODES.stringNode("x"),
          Json.NODES.stringNode(""),
          Json.NODES.numberNode(-1),
          Json.NODES.numberNode(1.5),
          Json.NODES.numberNode(99999999999L),
          Json.NODES.booleanNode(true),
          Json.NODES.nullNode(),
          Json.array(),
          Json.object(),
          Json.array().add("x").add(Json.object()));

  @Test
  void everyNodeReplacedByEveryShape() {
    GatewayCatalog catalog = StaticGatewayCatalog.builtIn();
    int runs = 0;
    for (String file : FILES) {
      ObjectNode original = Fixtures.load(file);
      for (List<Object> path : TreePaths.all(original)) {
        for (JsonNode shape : SHAPES) {
          ObjectNode tree = original.deepCopy();
          replace(tree, path, shape.deepCopy());
          for (Checks checks : Checks.values()) {
            assertNotNull(
                assertDoesNotThrow(
                    () -> FunctionValidator.validate(tree, checks), file + " " + path));
            assertNotNull(
                assertDoesNotThrow(
                    () -> GatewayValidator.validate(tree, checks, catalog), file + " " + path));
          }
          runs++;
        }
      }
    }
    assertFalse(runs < 500, "too few variants: " + runs);
  }

  @Test
  void nonObjectsAndNulls() {
    for (JsonNode shape : SHAPES) {
      for (Checks checks : Checks.values()) {
        assertDoesNotThrow(() -> FunctionValidator.validate(shape, checks));
        assertDoesNotThrow(() -> GatewayValidator.validate(shape, checks, null));
      }
    }
    for (Checks checks : Checks.values()) {
      assertDoesNotThrow(() -> FunctionValidator.validate(null, checks));
      assertDoesNotThrow(() -> GatewayValidator.validate(null, checks, null));
    }
  }

  private static void replace(JsonNode root, List<Object> path, JsonNode value) {
    JsonNode parent = TreePaths.parent(root, path);
    Object last = path.get(path.size() - 1);
    if (last instanceof Integer i) {
      ((ArrayNode) parent).set(i, value);
    } else {
      ((ObjectNode) parent).set((String) last, value);
    }
  }
}
