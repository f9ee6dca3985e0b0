package dev.ofn.webhook.defaulting;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Small tree predicates shared by the defaulters; they take raw {@code get()} results (null =
 * absent).
 */
final class Trees {
  private Trees() {}

  /** Absent or JSON null: what Go decodes to a nil pointer, slice or map. */
  static boolean unset(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /** Absent, null or the empty string (Go's {@code == nil || == ""}). */
  static boolean unsetOrEmpty(JsonNode node) {
    return unset(node) || node.isString() && node.stringValue().isEmpty();
  }

  /** Absent, null or {@code []}: a route field the webhook may generate. */
  static boolean unsetOrEmptyArray(JsonNode node) {
    return unset(node) || node.isArray() && node.isEmpty();
  }

  /**
   * The object under {@code field}, created when unset; null when the field holds something else.
   */
  static ObjectNode objectOrCreate(ObjectNode parent, String field) {
    JsonNode node = parent.get(field);
    if (unset(node)) {
      return parent.putObject(field);
    }
    return node instanceof ObjectNode object ? object : null;
  }

  /** The object under {@code field}, or null when absent or not an object. */
  static ObjectNode object(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    return node instanceof ObjectNode object ? object : null;
  }
}
