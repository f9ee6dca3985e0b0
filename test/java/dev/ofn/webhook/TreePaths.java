package dev.ofn.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Paths into JSON trees (object keys as strings, array indices as integers), for tests that damage
 * trees.
 */
public final class TreePaths {
  private TreePaths() {}

  /** Every path in the tree, parents before children. */
  public static List<List<Object>> all(JsonNode root) {
    return all(root, new ArrayList<>());
  }

  /** The node holding the last step of {@code path}. */
  public static JsonNode parent(JsonNode root, List<Object> path) {
    JsonNode parent = root;
    for (Object step : path.subList(0, path.size() - 1)) {
      parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
    }
    return parent;
  }

  private static List<List<Object>> all(JsonNode node, List<Object> prefix) {
    List<List<Object>> out = new ArrayList<>();
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        List<Object> p = new ArrayList<>(prefix);
        p.add(e.getKey());
        out.add(p);
        out.addAll(all(e.getValue(), p));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        List<Object> p = new ArrayList<>(prefix);
        p.add(i);
        out.add(p);
        out.addAll(all(node.get(i), p));
      }
    }
    return out;
  }
}
