package dev.ofn.webhook.json;

import java.util.LinkedHashMap;
import java.util.Optional;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The Jackson 3 mappers of the process and null-safe readers for object trees of unknown shape. */
public final class Json {
  /**
   * Nesting deeper than this is refused by the parser: no object we read is nested anywhere near
   * it.
   */
  public static final int MAX_NESTING = 200;

  /**
   * Node factory of every tree we build or parse: an object's map and an array's list start small
   * (4 fields, 2 elements) instead of Java's defaults (16, 10). Most maps and lists of a Kubernetes
   * object are that small, and each review parses and copies a few dozen of them.
   */
  public static final JsonNodeFactory NODES = new SmallNodes();

  public static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                  .build())
          .nodeFactory(NODES)
          .build();
  public static final YAMLMapper YAML = YAMLMapper.builder().nodeFactory(NODES).build();

  private static final class SmallNodes extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public ObjectNode objectNode() {
      return new ObjectNode(this, new LinkedHashMap<>(4));
    }

    @Override
    public ArrayNode arrayNode() {
      return new ArrayNode(this, 2);
    }
  }

  /** What a reader says of a document over {@link #MAX_NESTING}: not malformed, only too deep. */
  public static final String TOO_DEEP =
      "JSON nested too deeply: more than " + MAX_NESTING + " levels";

  private Json() {}

  /** True when {@code e} is the parser refusing nesting deeper than {@link #MAX_NESTING}. */
  public static boolean tooDeep(tools.jackson.core.JacksonException e) {
    return e instanceof tools.jackson.core.exc.StreamConstraintsException
        && String.valueOf(e.getOriginalMessage()).contains("nesting depth");
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** The node at the given property path, or a missing node; never null, never throws. */
  public static JsonNode at(JsonNode node, String... path) {
    JsonNode current = node == null ? tools.jackson.databind.node.MissingNode.getInstance() : node;
    for (String key : path) {
      current =
          current.isObject()
              ? current.path(key)
              : tools.jackson.databind.node.MissingNode.getInstance();
    }
    return current;
  }

  /** The string at the path when it is a string (and not empty when {@code nonEmpty}). */
  public static Optional<String> string(JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value.isString() ? Optional.of(value.stringValue()) : Optional.empty();
  }

  /** The string at the path, or {@code fallback} when it is absent, null, empty or not a string. */
  public static String stringOr(JsonNode node, String fallback, String... path) {
    return string(node, path).filter(s -> !s.isEmpty()).orElse(fallback);
  }

  /** True when the path is absent or JSON null. */
  public static boolean absent(JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value.isMissingNode() || value.isNull();
  }

  /** The object at the path, creating (or replacing a non-object) on the way; for defaulting. */
  public static ObjectNode objectAt(ObjectNode node, String... path) {
    ObjectNode current = node;
    for (String key : path) {
      JsonNode next = current.get(key);
      if (next == null || !next.isObject()) {
        next = current.putObject(key);
      }
      current = (ObjectNode) next;
    }
    return current;
  }
}
