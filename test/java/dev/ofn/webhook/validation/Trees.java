package dev.ofn.webhook.validation;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.json.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test cases are the shared fixtures with a few edits, so every case stays a real, CRD-shaped
 * object: {@code edit(fixture, "spec.build.timeout", "-10m")} sets a field (the value is YAML, so
 * {@code "5"} is a number and {@code "'5'"} a string; {@code null} removes the field).
 */
final class Trees {
  static final String GATEWAY = "default-gateway.yaml";
  static final String SERVING_ONLY = "function-sample-serving-only.yaml";
  static final String KEDA_HTTP = "function-kedahttp-sample-serving.yaml";
  static final String WASMEDGE = "wasmedge-http-server.yaml";

  private Trees() {}

  /**
   * {@code file} from the fixtures with the edits applied: pairs of path, YAML value (null =
   * remove).
   */
  static ObjectNode fixture(String file, String... edits) {
    ObjectNode tree = Fixtures.load(file);
    for (int i = 0; i < edits.length; i += 2) {
      edit(tree, edits[i], edits[i + 1]);
    }
    return tree;
  }

  static void edit(ObjectNode tree, String path, String yaml) {
    List<String> segments = List.of(path.replace("[", ".[").split("\\."));
    JsonNode parent = tree;
    for (String segment : segments.subList(0, segments.size() - 1)) {
      JsonNode next = child(parent, segment);
      if (next == null || next.isNull() || next.isMissingNode()) {
        next = Json.object();
        put(parent, segment, next);
      }
      parent = next;
    }
    String last = segments.get(segments.size() - 1);
    if (yaml == null) {
      if (parent instanceof ObjectNode object) {
        object.remove(last);
      } else {
        ((ArrayNode) parent).remove(index(last));
      }
    } else {
      put(parent, last, value(yaml));
    }
  }

  static JsonNode value(String yaml) {
    JsonNode node = Json.YAML.readTree(yaml);
    return node == null || node.isMissingNode() ? Json.NODES.nullNode() : node;
  }

  private static JsonNode child(JsonNode parent, String segment) {
    return segment.startsWith("[") ? parent.get(index(segment)) : parent.get(segment);
  }

  private static void put(JsonNode parent, String segment, JsonNode value) {
    if (segment.startsWith("[")) {
      ArrayNode array = (ArrayNode) parent;
      int i = index(segment);
      if (i == array.size()) {
        array.add(value);
      } else {
        array.set(i, value);
      }
    } else {
      ((ObjectNode) parent).set(segment, value);
    }
  }

  private static int index(String segment) {
    return Integer.parseInt(segment.substring(1, segment.length() - 1));
  }

  /** The rendered lines, in path order, as the admission layer will show them. */
  static List<String> lines(List<FieldError> errors) {
    return FieldErrors.renderAll(errors);
  }
}
