package dev.ofn.webhook.controller;

import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.OwnedKeys;
import dev.ofn.webhook.routing.Owner;
import dev.ofn.webhook.routing.Precedence;
import dev.ofn.webhook.routing.RouteKey;
import java.util.Optional;
import java.util.function.Function;

/**
 * Controller-side conflicts (docs/behaviour.md §7, last bullet): routes that slipped past admission
 * (two replicas at the same instant, objects from before install) share a route key. Gateway API
 * gives the request to the older route ({@link Precedence}: creationTimestamp, then {@code
 * namespace/name}), so the younger one is dead on arrival: its Function gets {@code RouteConflict}
 * and its HTTPRoute is not written.
 */
final class Seniority {
  private Seniority() {}

  /**
   * Why {@code self} loses (the first key an older owner holds), or empty. Only stored claims
   * count: a reservation (admitted here, not yet seen) has no timestamp to compare and is stored
   * moments later. {@code ages} resolves an owner's age; an owner it cannot resolve (already gone)
   * is ignored.
   */
  static Optional<String> loses(
      OwnedKeys self, ConflictIndex index, Function<Owner, Optional<Precedence>> ages) {
    Optional<Precedence> mine = ages.apply(self.owner());
    if (mine.isEmpty()) {
      return Optional.empty();
    }
    for (RouteKey key : self.keys()) {
      for (ConflictIndex.Claim claim : index.lookup(key)) {
        if (claim.reserved()
            || claim.owner().equals(self.owner())
            || claim.object().equals(self.object())) {
          continue;
        }
        Optional<Precedence> theirs = ages.apply(claim.owner());
        if (theirs.isPresent() && theirs.get().compareTo(mine.get()) < 0) {
          return Optional.of(
              key.describe() + " is already routed by " + claim.owner() + ", which is older");
        }
      }
    }
    return Optional.empty();
  }
}
