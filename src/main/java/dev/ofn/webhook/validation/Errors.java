package dev.ofn.webhook.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/**
 * Collects the field errors of one validation and reads typed values from the tree. A value of the
 * wrong JSON type is reported (once, where it is read) and then treated as absent, so a malformed
 * object yields field errors instead of exceptions and the remaining checks still run.
 */
final class Errors {
  private final List<FieldError> list = new ArrayList<>();

  void add(FieldError error) {
    list.add(error);
  }

  void addAll(List<FieldError> errors) {
    list.addAll(errors);
  }

  List<FieldError> toList() {
    return List.copyOf(list);
  }

  /** The string at {@code at}; empty when absent or null, or (reported) when not a string. */
  Optional<String> string(At at) {
    if (!at.present()) {
      return Optional.empty();
    }
    if (!at.node().isString()) {
      wrongType(at, "string");
      return Optional.empty();
    }
    return Optional.of(at.node().stringValue());
  }

  /**
   * The 32-bit integer at {@code at} (the CRDs' {@code format: int32}); empty when absent or
   * mistyped.
   */
  OptionalLong int32(At at) {
    if (!at.present()) {
      return OptionalLong.empty();
    }
    JsonNode node = at.node();
    if (!node.isIntegralNumber()) {
      wrongType(at, "integer");
      return OptionalLong.empty();
    }
    if (!node.canConvertToInt()) {
      add(FieldError.invalid(at.path(), node, "must fit in a 32-bit integer"));
      return OptionalLong.empty();
    }
    return OptionalLong.of(node.intValue());
  }

  /** True when {@code at} holds an object; a present non-object is reported. */
  boolean object(At at) {
    if (!at.present()) {
      return false;
    }
    if (!at.node().isObject()) {
      wrongType(at, "object");
      return false;
    }
    return true;
  }

  /** The items at {@code at}; empty when absent or (reported) not an array. */
  List<At> array(At at) {
    if (!at.present()) {
      return List.of();
    }
    if (!at.node().isArray()) {
      wrongType(at, "array");
      return List.of();
    }
    return at.items();
  }

  /**
   * The apiserver's wording for a schema type error ({@code must be of type integer}); containers
   * are shown by their type name, as the apiserver does, rather than dumping a whole subtree.
   */
  void wrongType(At at, String expected) {
    JsonNode node = at.node();
    Object shown = node.isObject() ? "object" : node.isArray() ? "array" : node;
    add(FieldError.invalid(at.path(), shown, "must be of type " + expected));
  }
}
