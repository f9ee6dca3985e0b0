package dev.ofn.webhook.controller;

import dev.ofn.webhook.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whether a stored object still matches what we would write. Pure.
 *
 * <p>The apiserver fills defaults into what we write (a Service's sessionAffinity, an HTTPRoute
 * backendRef's weight…), so a stored object never equals our desired one: we ask whether it
 * <em>covers</em> it (every field we set has our value; arrays have our length). That alone misses
 * a field we stopped setting, so writers also stamp a hash of the desired object ({@link #hash})
 * and rewrite when it changes. Numbers compare by value: trees parsed from the API and trees we
 * build may hold the same number as int or long. Absent, null, {@code []} and <code>{}</code> are
 * the same value.
 */
final class Drift {
  private Drift() {}

  /** True when every field of {@code desired} is present in {@code actual} with an equal value. */
  static boolean covers(JsonNode actual, JsonNode desired) {
    if (desired == null || desired.isMissingNode()) {
      return true;
    }
    JsonNode have = actual == null ? MissingNode.getInstance() : actual;
    if (have.isMissingNode() || have.isNull()) {
      // fabric8 drops empty lists and maps when it serialises: absent, null and empty are one
      // value.
      return desired.isNull() || desired.isContainer() && desired.isEmpty();
    }
    if (desired.isObject()) {
      if (!have.isObject()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> field : desired.properties()) {
        if (!covers(have.path(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!have.isArray() || have.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!covers(have.get(i), desired.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isNumber()) {
      return have.isNumber() && have.decimalValue().compareTo(desired.decimalValue()) == 0;
    }
    return desired.equals(have);
  }

  /** Equal trees, numbers by value; absent, null and empty containers are the same. */
  static boolean same(JsonNode a, JsonNode b) {
    return covers(a, b) && covers(b, a);
  }

  /** 16 hex digits of SHA-256 over the tree with object keys sorted: stable across key order. */
  static String hash(JsonNode node) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] bytes = digest.digest(sorted(node).toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(bytes, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>(node.propertyNames());
      names.sort(null);
      ObjectNode copy = Json.object();
      names.forEach(name -> copy.set(name, sorted(node.get(name))));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = Json.array();
      node.forEach(item -> copy.add(sorted(item)));
      return copy;
    }
    if (node.isNumber()) {
      return Json.NODES.numberNode(node.decimalValue().stripTrailingZeros());
    }
    return node;
  }
}
