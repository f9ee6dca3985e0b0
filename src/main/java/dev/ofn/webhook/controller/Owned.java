package dev.ofn.webhook.controller;

import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.HttpRoutes;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects the controller writes (HTTPRoutes, ExternalName Services): whether a stored one is ours,
 * whether it is up to date, and what an update sends (pure); and {@link #apply}, the one
 * create-or-update every writer of such an object goes through.
 *
 * <p>Ours means: our {@code app.kubernetes.io/created-by: ofn-webhook} label, and no controller
 * owner other than the expected one. Anything else is someone else's and is never written
 * (docs/behaviour.md §6, §14).
 */
final class Owned {
  /**
   * A hash of what we last wrote, so that a field we stopped setting is noticed (see {@link
   * Drift}).
   */
  static final String HASH_ANNOTATION = "networking.openfunction.io/desired-hash";

  private Owned() {}

  /** What {@link #apply} did. */
  enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    /** A stored object of that name is someone else's: left alone. */
    REFUSED
  }

  /** {@code stored}: the object as it now is in the cluster (someone else's when REFUSED). */
  record Applied(Outcome outcome, JsonNode stored) {}

  /**
   * Makes {@code desired} (stamped, with its controller owner reference) real: creates it when
   * nothing is stored, skips it when the stored one is ours and up to date, updates ours otherwise,
   * and refuses to touch one that is not ours.
   */
  static Applied apply(Cluster cluster, Optional<JsonNode> existing, ObjectNode desired) {
    if (existing.isEmpty()) {
      return new Applied(Outcome.CREATED, cluster.create(desired));
    }
    JsonNode actual = existing.get();
    if (!isOurs(actual, desired)) {
      return new Applied(Outcome.REFUSED, actual);
    }
    if (upToDate(actual, desired)) {
      return new Applied(Outcome.UNCHANGED, actual);
    }
    return new Applied(Outcome.UPDATED, cluster.update(forUpdate(actual, desired)));
  }

  /** Whether {@code actual} is ours, the expected owner being {@code desired}'s controller. */
  static boolean isOurs(JsonNode actual, JsonNode desired) {
    for (JsonNode ref : Json.at(desired, "metadata", "ownerReferences")) {
      if (Json.at(ref, "controller").asBoolean(false)) {
        return isOurs(actual, Json.stringOr(ref, "", "kind"), Json.stringOr(ref, "", "name"));
      }
    }
    throw new IllegalArgumentException("a desired object names its controller owner");
  }

  static boolean isOurs(JsonNode actual, String ownerKind, String ownerName) {
    if (!HttpRoutes.CREATED_BY.equals(
        Json.stringOr(actual, "", "metadata", "labels", HttpRoutes.CREATED_BY_LABEL))) {
      return false;
    }
    for (JsonNode ref : Json.at(actual, "metadata", "ownerReferences")) {
      if (Json.at(ref, "controller").asBoolean(false)) {
        return ownerKind.equals(Json.stringOr(ref, "", "kind"))
            && ownerName.equals(Json.stringOr(ref, "", "name"));
      }
    }
    return true;
  }

  /** Adds the hash annotation over labels, ownerReferences and spec; returns {@code desired}. */
  static ObjectNode stamp(ObjectNode desired) {
    ObjectNode hashed = Json.object();
    hashed.set("labels", Json.at(desired, "metadata", "labels"));
    hashed.set("ownerReferences", Json.at(desired, "metadata", "ownerReferences"));
    hashed.set("spec", Json.at(desired, "spec"));
    Json.objectAt(desired, "metadata", "annotations").put(HASH_ANNOTATION, Drift.hash(hashed));
    return desired;
  }

  /** True when {@code actual} carries our current hash and still has every value we set. */
  static boolean upToDate(JsonNode actual, ObjectNode stamped) {
    return Json.stringOr(stamped, "", "metadata", "annotations", HASH_ANNOTATION)
            .equals(Json.stringOr(actual, "", "metadata", "annotations", HASH_ANNOTATION))
        && Drift.covers(
            Json.at(actual, "metadata", "labels"), Json.at(stamped, "metadata", "labels"))
        && Drift.covers(
            Json.at(actual, "metadata", "ownerReferences"),
            Json.at(stamped, "metadata", "ownerReferences"))
        && Drift.covers(Json.at(actual, "spec"), Json.at(stamped, "spec"));
  }

  /**
   * The object an update sends: our spec, owner references and labels over the stored metadata, so
   * labels, annotations and finalizers others added survive, and the stored resourceVersion, so
   * that a concurrent write makes ours fail (409) instead of being lost.
   */
  static ObjectNode forUpdate(JsonNode actual, ObjectNode stamped) {
    ObjectNode update = stamped.deepCopy();
    ObjectNode metadata = ((ObjectNode) Json.at(actual, "metadata")).deepCopy();
    for (String map : new String[] {"labels", "annotations"}) {
      ObjectNode merged = Json.objectAt(metadata, map);
      for (Map.Entry<String, JsonNode> entry : Json.at(stamped, "metadata", map).properties()) {
        merged.set(entry.getKey(), entry.getValue());
      }
    }
    metadata.set("ownerReferences", Json.at(stamped, "metadata", "ownerReferences").deepCopy());
    metadata.remove("managedFields");
    update.set("metadata", metadata);
    update.remove("status");
    return update;
  }
}
