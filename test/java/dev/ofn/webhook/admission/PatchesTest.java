package dev.ofn.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ofn.webhook.json.Json;
import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class PatchesTest {
  @Test
  void noPatchWhenNothingChanged() throws Exception {
    JsonNode tree = Json.MAPPER.readTree("{\"a\":[1,2],\"b\":{\"c\":true}}");
    assertNull(Patches.diff(tree, tree.deepCopy()));
  }

  @Test
  void touchesOnlyWhatChangedAndKeepsUnknownFields() throws Exception {
    ObjectNode original =
        (ObjectNode)
            Json.MAPPER.readTree(
                "{\"x-unknown\":{\"deep\":[3,2,1]},\"spec\":{\"image\":\"i\",\"zz\":1,\"list\":[{\"n\":\"a\"},{\"n\":\"b\"}]}}");
    ObjectNode mutated = original.deepCopy();
    ((ObjectNode) mutated.path("spec")).put("version", "latest");
    ((tools.jackson.databind.node.ArrayNode) mutated.path("spec").path("list"))
        .addObject()
        .put("n", "c");
    JsonNode patch = Patches.diff(original, mutated);
    assertEquals(
        Json.MAPPER.readTree(
            "[{\"op\":\"add\",\"path\":\"/spec/list/2\",\"value\":{\"n\":\"c\"}},"
                + "{\"op\":\"add\",\"path\":\"/spec/version\",\"value\":\"latest\"}]"),
        sorted(patch));
    assertEquals(mutated, JsonPatch.apply(patch, original));
  }

  @Test
  void neverEmitsMoveOrCopy() throws Exception {
    JsonNode original = Json.MAPPER.readTree("{\"a\":{\"k\":\"v\"},\"b\":null}");
    JsonNode mutated = Json.MAPPER.readTree("{\"b\":{\"k\":\"v\"},\"c\":{\"k\":\"v\"}}");
    JsonNode patch = Patches.diff(original, mutated);
    patch.forEach(
        op ->
            assertEquals(
                true, op.path("op").asString().matches("add|remove|replace"), op.toString()));
    assertEquals(mutated, JsonPatch.apply(patch, original));
  }

  private static JsonNode sorted(JsonNode ops) {
    java.util.List<JsonNode> list = new java.util.ArrayList<>();
    ops.forEach(list::add);
    list.sort(java.util.Comparator.comparing(op -> op.path("path").asString()));
    tools.jackson.databind.node.ArrayNode out = Json.array();
    list.forEach(out::add);
    return out;
  }
}
