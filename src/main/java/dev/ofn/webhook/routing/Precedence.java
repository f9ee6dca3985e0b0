package dev.ofn.webhook.routing;

import java.time.Instant;
import java.util.Comparator;

/**
 * Gateway API precedence between routes that claim the same key: the oldest by creationTimestamp
 * wins, then the first by {@code namespace/name}. The smaller value wins.
 */
public record Precedence(Instant created, String name) implements Comparable<Precedence> {
  private static final Comparator<Precedence> ORDER =
      Comparator.comparing(Precedence::created).thenComparing(Precedence::name);

  @Override
  public int compareTo(Precedence other) {
    return ORDER.compare(this, other);
  }
}
