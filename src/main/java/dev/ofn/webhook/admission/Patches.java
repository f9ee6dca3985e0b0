package dev.ofn.webhook.admission;

import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.EnumSet;
import tools.jackson.databind.JsonNode;

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

  /** The op list turning {@code original} into {@code mutated}; null when they are equal. */
  public static JsonNode diff(JsonNode original, JsonNode mutated) {
    if (original.equals(mutated)) {
      return null;
    }
    JsonNode ops = JsonDiff.asJson(original, mutated, FLAGS);
    return ops.isEmpty() ? null : ops;
  }

  /** {@code original} with {@code patch} applied, as the apiserver applies it; null = no patch. */
  public static JsonNode apply(JsonNode original, JsonNode patch) {
    return patch == null ? original : JsonPatch.apply(patch, original);
  }
}
