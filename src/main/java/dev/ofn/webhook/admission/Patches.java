package dev.ofn.webhook.admission;

import dev.ofn.webhook.json.Json;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.EnumSet;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON Patch as the diff of two trees, so a patch can only touch what defaulting changed. */
public final class Patches {
  /**
   * Plain add/remove/replace ops: no move/copy (a field the webhook does not own is never moved),
   * no "test" ops (the apiserver applies the patch to exactly the object it sent).
   */
  private static final EnumSet<DiffFlags> FLAGS =
      EnumSet.of(
          DiffFlags.OMIT_MOVE_OPERATION,
          DiffFlags.OMIT_COPY_OPERATION,
          DiffFlags.OMIT_VALUE_ON_REMOVE);

  private Patches() {}

  /**
   * The op list turning {@code original} into {@code mutated}; null when they are equal. The ops
   * are zjsonpatch's {@code JsonDiff} with {@link #FLAGS}, op for op: objects and values are
   * compared here (zjsonpatch renders every path through two regular expressions per segment, most
   * of a mutating review's garbage), two different arrays are handed to zjsonpatch for its
   * longest-common-subsequence ops.
   */
  public static JsonNode diff(JsonNode original, JsonNode mutated) {
    if (original.equals(mutated)) {
      return null;
    }
    ArrayNode ops = Json.array();
    diff(new StringBuilder(), original, mutated, ops);
    return ops.isEmpty() ? null : ops;
  }

  private static void diff(StringBuilder path, JsonNode source, JsonNode target, ArrayNode ops) {
    if (source.equals(target)) {
      return;
    }
    if (source.isArray() && target.isArray()) {
      String prefix = path.toString();
      for (JsonNode op : JsonDiff.asJson(source, target, FLAGS)) {
        ObjectNode o = (ObjectNode) op;
        o.put("path", prefix + o.get("path").stringValue());
        ops.add(o);
      }
    } else if (source.isObject() && target.isObject()) {
      int length = path.length();
      for (Map.Entry<String, JsonNode> field : source.properties()) {
        JsonNode after = target.get(field.getKey());
        token(path, field.getKey());
        if (after == null) {
          ops.addObject().put("op", "remove").put("path", path.toString());
        } else {
          diff(path, field.getValue(), after, ops);
        }
        path.setLength(length);
      }
      for (Map.Entry<String, JsonNode> field : target.properties()) {
        if (source.get(field.getKey()) == null) {
          token(path, field.getKey());
          ops.addObject()
              .put("op", "add")
              .put("path", path.toString())
              .set("value", field.getValue());
          path.setLength(length);
        }
      }
    } else {
      ops.addObject().put("op", "replace").put("path", path.toString()).set("value", target);
    }
  }

  /**
   * Appends {@code /name} escaped as RFC 6901 says: {@code ~} → {@code ~0}, {@code /} → {@code ~1}.
   */
  private static void token(StringBuilder path, String name) {
    path.append('/');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '~') {
        path.append("~0");
      } else if (c == '/') {
        path.append("~1");
      } else {
        path.append(c);
      }
    }
  }

  /** {@code original} with {@code patch} applied, as the apiserver applies it; null = no patch. */
  public static JsonNode apply(JsonNode original, JsonNode patch) {
    return patch == null ? original : JsonPatch.apply(patch, original);
  }
}
