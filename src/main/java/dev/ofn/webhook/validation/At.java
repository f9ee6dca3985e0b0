package dev.ofn.webhook.validation;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A node of an object tree of unknown shape together with its field path ({@code spec.a[0].b}), so
 * that every check can name the field it complains about. Navigation never throws: below a scalar,
 * an array or a missing node everything is missing.
 */
record At(JsonNode node, String path) {

  At {
    node = node == null ? MissingNode.getInstance() : node;
  }

  static At root(JsonNode node) {
    return new At(node, "");
  }

  At get(String key) {
    JsonNode child = node.isObject() ? node.path(key) : MissingNode.getInstance();
    return new At(child, path.isEmpty() ? key : path + "." + key);
  }

  /** The items of an array node (empty for anything else), each with its indexed path. */
  List<At> items() {
    List<At> items = new ArrayList<>();
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        items.add(new At(node.get(i), path + "[" + i + "]"));
      }
    }
    return items;
  }

  /** Go's {@code != nil}: the field is there and not JSON null. */
  boolean present() {
    return !node.isMissingNode() && !node.isNull();
  }
}
