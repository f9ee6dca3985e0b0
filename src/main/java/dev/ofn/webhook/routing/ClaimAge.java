package dev.ofn.webhook.routing;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import tools.jackson.databind.JsonNode;

/**
 * How old a claim is, in the Gateway API order: creationTimestamp, then {@code namespace/name}. A
 * claim without a creationTimestamp (just admitted, or offline input) is younger than every stored
 * one; among those, the earlier claim ({@code sequence}) is older.
 */
public record ClaimAge(Instant created, long sequence, Owner object)
    implements Comparable<ClaimAge> {
  private static final Comparator<ClaimAge> ORDER =
      Comparator.comparing(ClaimAge::created, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparingLong(a -> a.created == null ? a.sequence : 0)
          .thenComparing(ClaimAge::name);

  /** {@code namespace/name}, the tie-breaker (made only when needed). */
  public String name() {
    return object.name().toString();
  }

  @Override
  public int compareTo(ClaimAge other) {
    return ORDER.compare(this, other);
  }

  /** {@code metadata.creationTimestamp} of an object; null when absent or unreadable. */
  public static Instant createdOf(JsonNode object) {
    JsonNode value = object.path("metadata").path("creationTimestamp");
    if (!value.isString() || value.stringValue().isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value.stringValue());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
