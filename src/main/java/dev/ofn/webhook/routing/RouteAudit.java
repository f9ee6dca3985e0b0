package dev.ofn.webhook.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The audit of routes already stored (admitted before our webhook was installed, or while it was
 * down): every route key claimed by two or more owners, with the winner by {@link Precedence} and
 * each shadowed owner. Pure: route keys and ages in, findings out; the CLI ({@code webhook check
 * --cluster}) and the controller (a gauge of {@link #shadowedRoutes}) use it alike.
 */
public final class RouteAudit {
  private RouteAudit() {}

  /**
   * {@code key} is routed by {@code winner}; {@code shadowed} (through its object {@code object},
   * at field {@code path}) claims it too and gets no traffic for it.
   */
  public record Shadowed(RouteKey key, Owner winner, Owner shadowed, Owner object, String path) {
    public String describe() {
      return key.describe() + " is shadowed by " + winner + ", which is older";
    }
  }

  /**
   * Every (key, shadowed owner) pair among {@code objects}, in the order the keys are first met. An
   * owner's age comes from {@code ages}; one without (its object gone) counts as the youngest. A
   * Function and the HTTPRoute it controls are one owner and never shadow each other.
   */
  public static List<Shadowed> shadowed(
      List<OwnedKeys> objects, Function<Owner, Optional<Precedence>> ages) {
    Map<RouteKey, Map<Owner, Claim>> claims = new LinkedHashMap<>();
    for (OwnedKeys keys : objects) {
      for (LocatedKey located : keys.located()) {
        claims
            .computeIfAbsent(located.key(), k -> new LinkedHashMap<>())
            .putIfAbsent(keys.owner(), new Claim(keys.object(), located.path()));
      }
    }
    Precedence youngest = new Precedence(Instant.MAX, "");
    Comparator<Owner> order =
        Comparator.<Owner, Precedence>comparing(o -> ages.apply(o).orElse(youngest))
            .thenComparing(o -> o.name().toString())
            .thenComparing(o -> o.kind().ordinal());
    List<Shadowed> shadowed = new ArrayList<>();
    for (Map.Entry<RouteKey, Map<Owner, Claim>> claim : claims.entrySet()) {
      if (claim.getValue().size() < 2) {
        continue;
      }
      List<Owner> owners = new ArrayList<>(claim.getValue().keySet());
      owners.sort(order);
      Owner winner = owners.get(0);
      for (Owner loser : owners.subList(1, owners.size())) {
        Claim lost = claim.getValue().get(loser);
        shadowed.add(new Shadowed(claim.getKey(), winner, loser, lost.object(), lost.path()));
      }
    }
    return shadowed;
  }

  private record Claim(Owner object, String path) {}

  /** The number of shadowed route keys (a key shadowed for two owners counts twice). */
  public static int shadowedRoutes(List<Shadowed> shadowed) {
    return shadowed.size();
  }

  /**
   * {@link #shadowedRoutes} by the kind of the shadowed owner ({@code Function}, {@code HTTPRoute},
   * {@code GRPCRoute}), every kind present with 0 when none of it is shadowed: the gauge's series
   * stay put.
   */
  public static Map<String, Integer> shadowedRoutesByKind(List<Shadowed> shadowed) {
    Map<String, Integer> byKind = new LinkedHashMap<>();
    for (Owner.Kind kind : Owner.Kind.values()) {
      byKind.put(kind.toString(), 0);
    }
    shadowed.forEach(s -> byKind.merge(s.shadowed().kind().toString(), 1, Integer::sum));
    return byKind;
  }

  /** The owners that lose at least one route key. */
  public static Set<Owner> shadowedOwners(List<Shadowed> shadowed) {
    Set<Owner> owners = new LinkedHashSet<>();
    shadowed.forEach(s -> owners.add(s.shadowed()));
    return owners;
  }
}
