package dev.ofn.webhook.defaulting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Shared test helpers: whole-tree assertions (order-sensitive, via YAML text) and gateways. */
final class TestTrees {
  private TestTrees() {}

  static ObjectNode yaml(String text) {
    return (ObjectNode) Json.YAML.readTree(text);
  }

  /** Any YAML value, e.g. an array or a scalar, for inputs of the wrong shape. */
  static JsonNode yamlNode(String text) {
    return Json.YAML.readTree(text);
  }

  /**
   * Field order matters: both sides are printed and compared as text, which also gives readable
   * diffs.
   */
  static void assertTree(String expectedYaml, JsonNode actual) {
    assertTree(yaml(expectedYaml), actual);
  }

  static void assertTree(JsonNode expected, JsonNode actual) {
    assertEquals(Json.YAML.writeValueAsString(expected), Json.YAML.writeValueAsString(actual));
  }

  /** The default OFN Gateway fixture as the catalog would hold it. */
  static OfnGateway defaultGateway() {
    return OfnGateway.from(Fixtures.load("default-gateway.yaml"));
  }

  /** The default OFN Gateway fixture with one spec field changed (e.g. domain, hostTemplate). */
  static OfnGateway defaultGatewayWith(String field, String value) {
    ObjectNode gateway = Fixtures.load("default-gateway.yaml");
    ((ObjectNode) gateway.get("spec")).put(field, value);
    return OfnGateway.from(gateway);
  }
}
