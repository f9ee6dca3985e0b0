package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.model.Warnings;
import dev.ofn.webhook.validation.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Admission-time route conflicts (docs/behaviour.md §7): the keys of a Function or HTTPRoute
 * against the index and against each other. Pure apart from reading the index; never writes to it.
 */
public final class ConflictChecker {
  private final RouteKeys routeKeys;
  private final ConflictIndex index;
  private final HostOwnership ownership;

  public ConflictChecker(GatewayCatalog catalog, ConflictIndex index) {
    this(catalog, index, OwnershipMode.OFF);
  }

  /** {@code ownership}: the hostname ownership of gateways whose OFN Gateway does not say. */
  public ConflictChecker(GatewayCatalog catalog, ConflictIndex index, OwnershipMode ownership) {
    this.routeKeys = new RouteKeys(catalog);
    this.index = index;
    this.ownership = new HostOwnership(catalog, index, ownership);
  }

  public RouteKeys routeKeys() {
    return routeKeys;
  }

  public HostOwnership ownership() {
    return ownership;
  }

  /** CREATE: every clash denies. */
  public ConflictCheck check(JsonNode object) {
    return check(object, null);
  }

  /**
   * UPDATE ({@code oldObject} non-null): a clash on a key the old object already had, or a
   * duplicate it already had, becomes a warning, so existing objects stay editable; only new
   * clashes deny.
   */
  public ConflictCheck check(JsonNode object, JsonNode oldObject) {
    OwnedKeys keys = routeKeys.of(object);
    Set<RouteKey> oldKeys = Set.of();
    Set<RouteKey> oldDuplicates = Set.of();
    OwnedKeys old = null;
    if (oldObject != null) {
      old = routeKeys.of(oldObject);
      oldKeys = old.keys();
      oldDuplicates = duplicates(old);
    }
    // hostnames first (they come before the rules in a spec), then the route keys
    HostOwnership.OwnershipCheck owned = ownership.check(keys, old);
    List<FieldError> errors = new ArrayList<>(owned.errors());
    List<String> warnings = new ArrayList<>(keys.warnings());
    warnings.addAll(owned.warnings());
    Set<Owner> conflictsWith = new LinkedHashSet<>(owned.owners());
    Map<RouteKey, String> firstSeen = new HashMap<>();
    for (LocatedKey located : keys.located()) {
      RouteKey key = located.key();
      String first = firstSeen.putIfAbsent(key, located.path());
      if (first != null) {
        if (oldDuplicates.contains(key)) {
          warnings.add(Warnings.clip(key.describe() + " is routed twice in this object"));
        } else {
          errors.add(
              FieldError.forbidden(
                  located.path(),
                  key.describe() + " is routed twice in this object (also by " + first + ")"));
        }
        continue;
      }
      for (Map.Entry<Owner, ConflictIndex.Claim> clash :
          others(keys, index.lookup(key)).entrySet()) {
        ConflictIndex.Claim claim = clash.getValue();
        if (oldKeys.contains(key)) {
          // Kept short: the warning must fit 120 characters with the key spelled out.
          warnings.add(
              Warnings.clip(key.describe() + ": existing conflict with " + clash.getKey()));
        } else {
          errors.add(
              FieldError.forbidden(
                  located.path(),
                  key.describe()
                      + " is already routed by "
                      + clash.getKey()
                      + (claim.reserved()
                          ? " (admitted " + claim.ageMillis() / 1000 + "s ago, not yet stored)"
                          : "")));
          conflictsWith.add(clash.getKey());
        }
      }
    }
    return new ConflictCheck(
        keys, List.copyOf(errors), List.copyOf(warnings), List.copyOf(conflictsWith));
  }

  /**
   * The other owners among {@code claims}, one claim each: a stored claim wins over a reservation
   * of the same owner (the message then says nothing about "not yet stored"). An object never
   * clashes with itself, nor with what counts as the same owner (a Function and the route it
   * controls).
   */
  private static Map<Owner, ConflictIndex.Claim> others(
      OwnedKeys self, List<ConflictIndex.Claim> claims) {
    Map<Owner, ConflictIndex.Claim> others = new LinkedHashMap<>();
    for (ConflictIndex.Claim claim : claims) {
      if (claim.owner().equals(self.owner()) || claim.object().equals(self.object())) {
        continue;
      }
      others.merge(claim.owner(), claim, (a, b) -> a.reserved() ? b : a);
    }
    return others;
  }

  private static Set<RouteKey> duplicates(OwnedKeys keys) {
    Set<RouteKey> seen = new java.util.HashSet<>();
    Set<RouteKey> duplicates = new java.util.HashSet<>();
    keys.located()
        .forEach(
            l -> {
              if (!seen.add(l.key())) {
                duplicates.add(l.key());
              }
            });
    return duplicates;
  }
}
