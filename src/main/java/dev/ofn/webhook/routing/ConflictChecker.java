package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
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
 * Admission-time route conflicts (docs/behaviour.md §7, docs/gateway-api.md): the keys of a
 * Function, HTTPRoute or GRPCRoute against the index and against each other, and cross-serving
 * between HTTPRoutes and GRPCRoutes. Pure apart from reading the index; never writes to it.
 */
public final class ConflictChecker {
  private final RouteKeys routeKeys;
  private final ConflictIndex index;
  private final HostOwnership ownership;
  private final CrossServing crossServing;

  public ConflictChecker(GatewayCatalog catalog, ConflictIndex index) {
    this(catalog, index, OwnershipMode.OFF, RoutePolicy.OFF);
  }

  /**
   * {@code ownership}: the hostname ownership of gateways whose annotations do not say; {@code
   * routePolicy}: the route policy of k8s Gateways whose annotations (and class's) do not say.
   */
  public ConflictChecker(
      GatewayCatalog catalog,
      ConflictIndex index,
      OwnershipMode ownership,
      RoutePolicy routePolicy) {
    this.routeKeys = new RouteKeys(new RoutePolicies(catalog, routePolicy));
    this.index = index;
    this.ownership = new HostOwnership(catalog, index, ownership);
    this.crossServing = new CrossServing(index);
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
    Denials denials = new Denials();
    HostOwnership.OwnershipCheck owned = ownership.check(keys, old);
    List<FieldError> errors = denials.errors;
    List<String> warnings = denials.warnings;
    warnings.addAll(keys.warnings());
    warnings.addAll(owned.warnings());
    Set<Owner> conflictsWith = denials.owners;
    if (denials.warnOnly(keys.hosts().stream().map(HostClaim::gateway).toList())) {
      owned.errors().forEach(e -> warnings.add(Warnings.clip(e.detail())));
    } else {
      errors.addAll(owned.errors());
      conflictsWith.addAll(owned.owners());
    }
    crossServing(keys, old, denials);
    Map<RouteKey, String> firstSeen = new HashMap<>();
    for (LocatedKey located : keys.located()) {
      RouteKey key = located.key();
      String first = firstSeen.putIfAbsent(key, located.path());
      if (first != null) {
        if (oldDuplicates.contains(key)) {
          warnings.add(Warnings.clip(key.describe() + " is routed twice in this object"));
        } else {
          denials.deny(
              key.gateway(),
              FieldError.forbidden(
                  located.path(),
                  key.describe() + " is routed twice in this object (also by " + first + ")"),
              null);
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
          denials.deny(
              key.gateway(),
              FieldError.forbidden(
                  located.path(),
                  key.describe()
                      + " is already routed by "
                      + clash.getKey()
                      + (claim.reserved()
                          ? " (admitted " + claim.ageMillis() / 1000 + "s ago, not yet stored)"
                          : "")),
              clash.getKey());
        }
      }
    }
    return new ConflictCheck(
        keys, List.copyOf(errors), List.copyOf(warnings), List.copyOf(conflictsWith));
  }

  /**
   * Cross-serving (GEP-1016): a hostname that a route of the other kind already serves on the same
   * listener. On UPDATE a hostname the old object already served only warns.
   */
  private void crossServing(OwnedKeys keys, OwnedKeys old, Denials denials) {
    Set<HostClaim.HostKey> before = new java.util.HashSet<>();
    if (old != null) {
      old.hosts().forEach(h -> before.add(h.key()));
    }
    Set<String> seen = new java.util.HashSet<>();
    for (CrossServing.Clash clash : crossServing.clashes(keys)) {
      String message = clash.message(keys.object().kind());
      if (!seen.add(clash.host().path() + message)) {
        continue;
      }
      if (before.contains(clash.host().key())) {
        denials.warnings.add(Warnings.clip("existing problem: " + message));
      } else {
        denials.deny(
            clash.host().gateway(),
            FieldError.forbidden(clash.host().path(), message),
            clash.other().owner());
      }
    }
  }

  /**
   * One check's denials: on a gateway whose route policy is {@code warn} a denial becomes a warning
   * with the same text (the message without its field path, so it fits the 120 characters of a
   * warning with the owner in it), and names no owner.
   */
  private final class Denials {
    final List<FieldError> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final Set<Owner> owners = new LinkedHashSet<>();
    private final Map<String, Boolean> warnOnly = new HashMap<>();

    /** True when every gateway in {@code gateways} (at least one) only warns. */
    boolean warnOnly(List<String> gateways) {
      return !gateways.isEmpty()
          && gateways.stream()
              .allMatch(
                  g ->
                      warnOnly.computeIfAbsent(
                          g, k -> routeKeys.policies().of(k) == RoutePolicy.WARN));
    }

    void deny(String gateway, FieldError error, Owner owner) {
      if (warnOnly(List.of(gateway))) {
        warnings.add(Warnings.clip(error.detail()));
        return;
      }
      errors.add(error);
      if (owner != null) {
        owners.add(owner);
      }
    }
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
