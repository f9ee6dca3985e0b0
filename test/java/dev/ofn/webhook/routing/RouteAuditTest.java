package dev.ofn.webhook.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The audit of stored routes: who wins a key claimed twice (Gateway API order) and who is shadowed.
 */
class RouteAuditTest {
  static final RouteKey SHOP =
      new RouteKey("projectcontour/contour", 80, "shop.ofn.io", Match.ROOT);
  static final RouteKey OTHER =
      new RouteKey("projectcontour/contour", 80, "other.ofn.io", Match.ROOT);

  static OwnedKeys keys(Owner object, Owner owner, RouteKey... keys) {
    List<LocatedKey> located =
        java.util.Arrays.stream(keys).map(k -> new LocatedKey("spec.rules[0]", k)).toList();
    return new OwnedKeys(object, owner, located, List.of());
  }

  static Optional<Precedence> age(Map<Owner, String> created, Owner owner) {
    return Optional.ofNullable(created.get(owner))
        .map(t -> new Precedence(Instant.parse(t), owner.name().toString()));
  }

  @Test
  void theOldestWinsThenTheFirstByNamespaceAndName() {
    Owner a = Owner.httpRoute("default", "a");
    Owner b = Owner.httpRoute("default", "b");
    Owner c = Owner.httpRoute("default", "c");
    Map<Owner, String> created =
        Map.of(
            a, "2026-02-01T00:00:00Z",
            b, "2026-01-01T00:00:00Z",
            c, "2026-01-01T00:00:00Z");
    List<RouteAudit.Shadowed> shadowed =
        RouteAudit.shadowed(
            List.of(keys(a, a, SHOP), keys(c, c, SHOP, OTHER), keys(b, b, SHOP)),
            o -> age(created, o));
    assertEquals(
        List.of(
            new RouteAudit.Shadowed(SHOP, b, c, c, "spec.rules[0]"),
            new RouteAudit.Shadowed(SHOP, b, a, a, "spec.rules[0]")),
        shadowed);
    assertEquals(2, RouteAudit.shadowedRoutes(shadowed));
    assertEquals(
        Map.of("Function", 0, "HTTPRoute", 2, "GRPCRoute", 0),
        RouteAudit.shadowedRoutesByKind(shadowed));
    assertEquals(
        "\"shop.ofn.io PathPrefix /\" on gateway projectcontour/contour:80 is shadowed by HTTPRoute"
            + " default/b, which is older",
        shadowed.get(0).describe());
  }

  @Test
  void aFunctionAndTheRouteItControlsAreOneOwner() {
    Owner function = Owner.function("default", "f");
    Owner itsRoute = Owner.httpRoute("default", "f");
    Owner raw = Owner.httpRoute("default", "raw");
    Map<Owner, String> created =
        Map.of(function, "2026-01-01T00:00:00Z", raw, "2026-03-01T00:00:00Z");
    List<RouteAudit.Shadowed> shadowed =
        RouteAudit.shadowed(
            List.of(
                keys(function, function, SHOP),
                keys(itsRoute, function, SHOP),
                keys(raw, raw, SHOP)),
            o -> age(created, o));
    assertEquals(
        List.of(new RouteAudit.Shadowed(SHOP, function, raw, raw, "spec.rules[0]")), shadowed);
  }

  @Test
  void anOwnerWithoutAnAgeCountsAsTheYoungest() {
    Owner gone = Owner.function("default", "gone");
    Owner dated = Owner.httpRoute("zz", "late");
    List<RouteAudit.Shadowed> shadowed =
        RouteAudit.shadowed(
            List.of(keys(gone, gone, SHOP), keys(dated, dated, SHOP)),
            o -> age(Map.of(dated, "2026-09-01T00:00:00Z"), o));
    assertEquals(dated, shadowed.get(0).winner());
    assertEquals(gone, shadowed.get(0).shadowed());
    assertEquals(
        List.of(), RouteAudit.shadowed(List.of(keys(gone, gone, SHOP)), o -> Optional.empty()));
  }
}
