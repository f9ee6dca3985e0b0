package dev.ofn.webhook.routing;

import static dev.ofn.webhook.routing.TestCatalog.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
import dev.ofn.webhook.validation.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Gateway API without OpenFunction (docs/gateway-api.md): opt-in per Gateway, HTTPRoutes and
 * GRPCRoutes on a plain Gateway, ListenerSets, cross-serving. Whole messages asserted.
 */
class PlainGatewayTest {
  private static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
        namespace: infra
        annotations: {%s}
      spec:
        gatewayClassName: eg
        allowedListeners: {namespaces: {from: %s}}
        listeners:
          - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
          - {name: other, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
      """;

  private static final String LISTENER_SET =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: ListenerSet
      metadata: {name: extra, namespace: team-a}
      spec:
        parentRef: {name: gw, namespace: infra}
        listeners:
          - {name: api, port: 80, hostname: api.example.com, protocol: HTTP}
          - {name: admin, port: 9090, hostname: admin.example.com, protocol: HTTP,
             allowedRoutes: {namespaces: {from: All}}}
      """;

  private final TestCatalog catalog = new TestCatalog();
  private final ConflictIndex index = new ConflictIndex(() -> 1_000_000L);
  private ConflictChecker checker = checker(RoutePolicy.OFF);

  private ConflictChecker checker(RoutePolicy fallback) {
    return new ConflictChecker(catalog, index, OwnershipMode.OFF, fallback);
  }

  private PlainGatewayTest gateway(String annotations, String allowedListeners) {
    catalog.gateway(GATEWAY.formatted(annotations, allowedListeners));
    return this;
  }

  private void store(JsonNode object) {
    index.put(checker.routeKeys().of(object));
  }

  private static List<String> errors(ConflictCheck check) {
    return check.errors().stream().map(FieldError::render).toList();
  }

  static JsonNode httpRoute(String ns, String name, String parentRef, String host, String path) {
    return yaml(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: %s, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec:
          parentRefs: [%s]
          hostnames: [%s]
          rules: [{matches: [{path: {type: PathPrefix, value: %s}}]}]
        """
            .formatted(name, ns, parentRef, host, path));
  }

  /** A GRPCRoute; {@code matchesYaml} null: one rule without matches. */
  static JsonNode grpcRoute(
      String ns, String name, String parentRef, String host, String matchesYaml) {
    return yaml(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: %s, namespace: %s}
        spec:
          parentRefs: [%s]
          hostnames: [%s]
          rules: [{%s}]
        """
            .formatted(
                name, ns, parentRef, host, matchesYaml == null ? "" : "matches: " + matchesYaml));
  }

  static String method(String service, String method) {
    return "[{method: {service: " + service + ", method: " + method + "}}]";
  }

  private static final String GW = "{name: gw, namespace: infra, sectionName: http}";

  // --- opt-in

  @Test
  void deniedOnAnOptedInGatewayNamingTheFirstRoute() {
    gateway("ofn-webhook.io/route-policy: deny", "None");
    store(httpRoute("team-a", "shop", GW, "shop.example.com", "/api"));
    ConflictCheck check =
        checker.check(httpRoute("team-b", "shop", GW, "shop.example.com", "/api/"));
    assertEquals(
        List.of(
            "spec.rules[0].matches[0]: Forbidden: \"shop.example.com PathPrefix /api\" on gateway"
                + " infra/gw:80 is already routed by HTTPRoute team-a/shop"),
        errors(check));
    assertEquals(List.of(Owner.httpRoute("team-a", "shop")), check.conflictsWith());
  }

  @Test
  void aGatewayWithoutTheAnnotationIsLeftAlone() {
    gateway("", "None");
    store(httpRoute("team-a", "shop", GW, "shop.example.com", "/api"));
    ConflictCheck check =
        checker.check(httpRoute("team-b", "shop", GW, "shop.example.com", "/api"));
    assertEquals(List.of(), errors(check));
    assertEquals(List.of(), check.warnings());
    assertEquals(List.of(), check.keys().located());
  }

  @Test
  void warnAdmitsWithTheSameTextAsAWarning() {
    gateway("ofn-webhook.io/route-policy: warn", "None");
    store(httpRoute("team-a", "shop", GW, "shop.example.com", "/api"));
    ConflictCheck check =
        checker.check(httpRoute("team-b", "shop", GW, "shop.example.com", "/api"));
    assertEquals(List.of(), errors(check));
    assertEquals(
        List.of(
            "\"shop.example.com PathPrefix /api\" on gateway infra/gw:80 is already routed by"
                + " HTTPRoute team-a/shop"),
        check.warnings());
    assertEquals(List.of(), check.conflictsWith());
  }

  @Test
  void policyResolutionGatewayThenClassThenFlag() {
    NamespacedName gw = new NamespacedName("infra", "gw");
    gateway("", "None");
    assertEquals(RoutePolicy.OFF, new RoutePolicies(catalog, RoutePolicy.OFF).of(gw));
    assertEquals(RoutePolicy.DENY, new RoutePolicies(catalog, RoutePolicy.DENY).of(gw));
    catalog.gatewayClass("eg", Map.of("ofn-webhook.io/route-policy", "warn"));
    assertEquals(RoutePolicy.WARN, new RoutePolicies(catalog, RoutePolicy.DENY).of(gw));
    gateway("ofn-webhook.io/route-policy: deny", "None");
    assertEquals(RoutePolicy.DENY, new RoutePolicies(catalog, RoutePolicy.OFF).of(gw));
    gateway("ofn-webhook.io/route-policy: 'off'", "None");
    assertEquals(RoutePolicy.OFF, new RoutePolicies(catalog, RoutePolicy.DENY).of(gw));
    // a value that is not a policy counts as absent: the class decides
    gateway("ofn-webhook.io/route-policy: maybe", "None");
    assertEquals(RoutePolicy.WARN, new RoutePolicies(catalog, RoutePolicy.OFF).of(gw));
    // unknown Gateways have no listeners to police; one an OFN Gateway uses always denies
    assertEquals(
        RoutePolicy.OFF,
        new RoutePolicies(catalog, RoutePolicy.DENY).of(new NamespacedName("infra", "nope")));
    assertEquals(
        RoutePolicy.DENY,
        new RoutePolicies(TestCatalog.withDefaultGateway(), RoutePolicy.OFF)
            .of(new NamespacedName("projectcontour", "contour")));
  }

  @Test
  void theServerDefaultPolicesGatewaysThatDoNotSay() {
    gateway("", "None");
    checker = checker(RoutePolicy.DENY);
    store(httpRoute("team-a", "shop", GW, "shop.example.com", "/api"));
    assertEquals(
        1,
        errors(checker.check(httpRoute("team-b", "shop", GW, "shop.example.com", "/api"))).size());
  }

  @Test
  void hostnameOwnershipOnAPlainGateway() {
    gateway(
        "ofn-webhook.io/route-policy: deny, ofn-webhook.io/hostname-ownership: namespace", "None");
    store(httpRoute("team-a", "shop", GW, "shop.example.com", "/api"));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname shop.example.com belongs to namespace team-a"
                + " (HTTPRoute team-a/shop)"),
        errors(checker.check(httpRoute("team-b", "other", GW, "shop.example.com", "/web"))));
  }

  // --- GRPCRoute

  @Test
  void grpcKeys() {
    gateway("ofn-webhook.io/route-policy: deny", "None");
    JsonNode route =
        grpcRoute(
            "team-a",
            "cart",
            "{name: gw, namespace: infra}",
            "grpc.example.com",
            "[{method: {service: shop.Cart, method: Add}},"
                + " {method: {service: shop.Cart}, headers: [{name: X-Env, value: prod}]},"
                + " {method: {type: RegularExpression, method: 'Get.*'}}, {}]");
    assertEquals(
        List.of(
            "spec.rules[0].matches[0] \"grpc.example.com gRPC shop.Cart/Add\" on gateway infra/gw:80",
            "spec.rules[0].matches[0] \"grpc.example.com gRPC shop.Cart/Add\" on gateway infra/gw:8080",
            "spec.rules[0].matches[1] \"grpc.example.com gRPC shop.Cart/* header x-env=prod\" on gateway"
                + " infra/gw:80",
            "spec.rules[0].matches[1] \"grpc.example.com gRPC shop.Cart/* header x-env=prod\" on gateway"
                + " infra/gw:8080",
            "spec.rules[0].matches[2] \"grpc.example.com gRPC RegularExpression */Get.*\" on gateway"
                + " infra/gw:80",
            "spec.rules[0].matches[2] \"grpc.example.com gRPC RegularExpression */Get.*\" on gateway"
                + " infra/gw:8080",
            "spec.rules[0].matches[3] \"grpc.example.com gRPC */*\" on gateway infra/gw:80",
            "spec.rules[0].matches[3] \"grpc.example.com gRPC */*\" on gateway infra/gw:8080"),
        checker.routeKeys().of(route).located().stream()
            .map(l -> l.path() + " " + l.key())
            .toList());
    // a rule without matches matches every method, as does one whose match names no method
    assertEquals(
        checker.routeKeys().of(grpcRoute("a", "b", GW, "grpc.example.com", null)).keys(),
        checker.routeKeys().of(grpcRoute("a", "b", GW, "grpc.example.com", "[{}]")).keys());
  }

  @Test
  void secondGrpcRouteWithTheSameMethodIsRefusedAnotherMethodAdmitted() {
    gateway("ofn-webhook.io/route-policy: deny", "None");
    store(grpcRoute("team-a", "cart", GW, "grpc.example.com", method("shop.Cart", "Add")));
    assertEquals(
        List.of(
            "spec.rules[0].matches[0]: Forbidden: \"grpc.example.com gRPC shop.Cart/Add\" on gateway"
                + " infra/gw:80 is already routed by GRPCRoute team-a/cart"),
        errors(
            checker.check(
                grpcRoute("team-b", "cart", GW, "grpc.example.com", method("shop.Cart", "Add")))));
    assertEquals(
        List.of(),
        errors(
            checker.check(
                grpcRoute(
                    "team-b", "cart", GW, "grpc.example.com", method("shop.Cart", "Remove")))));
    // a GRPCRoute never meets an HTTPRoute on a route key, only through cross-serving
    assertEquals(
        List.of(),
        checker.check(grpcRoute("team-a", "cart2", GW, "other.example.com", null)).errors());
  }

  @Test
  void grpcPrecedenceOldestThenName() {
    gateway("ofn-webhook.io/route-policy: deny", "None");
    OwnedKeys b = checker.routeKeys().of(grpcRoute("team-b", "cart", GW, "g.example.com", null));
    OwnedKeys a = checker.routeKeys().of(grpcRoute("team-a", "cart", GW, "g.example.com", null));
    OwnedKeys c = checker.routeKeys().of(grpcRoute("team-c", "cart", GW, "g.example.com", null));
    Map<Owner, Precedence> ages =
        Map.of(
            b.owner(), new Precedence(Instant.parse("2026-01-01T00:00:00Z"), "team-b/cart"),
            a.owner(), new Precedence(Instant.parse("2026-01-02T00:00:00Z"), "team-a/cart"),
            c.owner(), new Precedence(Instant.parse("2026-01-01T00:00:00Z"), "team-c/cart"));
    assertEquals(
        List.of(
            "\"g.example.com gRPC */*\" on gateway infra/gw:80 is shadowed by GRPCRoute team-b/cart,"
                + " which is older: GRPCRoute team-c/cart",
            "\"g.example.com gRPC */*\" on gateway infra/gw:80 is shadowed by GRPCRoute team-b/cart,"
                + " which is older: GRPCRoute team-a/cart"),
        RouteAudit.shadowed(List.of(a, b, c), o -> Optional.ofNullable(ages.get(o))).stream()
            .map(s -> s.describe() + ": " + s.shadowed())
            .toList());
  }

  // --- cross-serving

  @Test
  void aGrpcRouteOnAnHttpRoutesHostnameIsRefused() {
    gateway("ofn-webhook.io/route-policy: deny", "None");
    store(httpRoute("team-a", "shop", GW, "shop.example.com", "/api"));
    ConflictCheck check = checker.check(grpcRoute("team-b", "cart", GW, "shop.example.com", null));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname shop.example.com on gateway infra/gw:80 is served"
                + " by HTTPRoute team-a/shop, and a listener serves either HTTPRoutes or GRPCRoutes"
                + " on a hostname, not both (Gateway API GEP-1016)"),
        errors(check));
    assertEquals(List.of(Owner.httpRoute("team-a", "shop")), check.conflictsWith());
  }

  @Test
  void anHttpRouteOnAGrpcRoutesWildcardIsRefused() {
    gateway("ofn-webhook.io/route-policy: deny", "None");
    store(grpcRoute("team-a", "cart", GW, "'*.example.com'", null));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname shop.example.com on gateway infra/gw:80"
                + " intersects *.example.com of GRPCRoute team-a/cart, and a listener serves either"
                + " GRPCRoutes or HTTPRoutes on a hostname, not both (Gateway API GEP-1016)"),
        errors(checker.check(httpRoute("team-b", "shop", GW, "shop.example.com", "/"))));
    // the other way round: a wildcard over a stored hostname of the other kind
    index.remove(Owner.grpcRoute("team-a", "cart"));
    store(grpcRoute("team-a", "cart", GW, "a.b.example.com", null));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname *.example.com on gateway infra/gw:80"
                + " intersects a.b.example.com of GRPCRoute team-a/cart, and a listener serves"
                + " either GRPCRoutes or HTTPRoutes on a hostname, not both (Gateway API GEP-1016)"),
        errors(checker.check(httpRoute("team-b", "shop", GW, "'*.example.com'", "/"))));
  }

  @Test
  void crossServingNeedsTheSameListenerAndIntersectingHostnames() {
    gateway("ofn-webhook.io/route-policy: deny", "None");
    store(
        httpRoute(
            "team-a", "shop", "{name: gw, namespace: infra, port: 80}", "shop.example.com", "/"));
    assertEquals(
        List.of(),
        errors(
            checker.check(
                grpcRoute(
                    "team-b",
                    "cart",
                    "{name: gw, namespace: infra, port: 8080}",
                    "shop.example.com",
                    null))));
    assertEquals(
        List.of(),
        errors(checker.check(grpcRoute("team-b", "cart", GW, "grpc.example.com", null))));
  }

  // --- ListenerSet

  private static final String SET = "{kind: ListenerSet, name: extra, namespace: team-a}";

  @Test
  void routesThroughOneListenerSetListenerConflictOnTheParentGateway() {
    gateway("ofn-webhook.io/route-policy: deny", "All");
    catalog.listenerSet(LISTENER_SET);
    store(httpRoute("team-a", "one", SET, "api.example.com", "/v1"));
    assertEquals(
        List.of(
            "spec.rules[0].matches[0]: Forbidden: \"api.example.com PathPrefix /v1\" on gateway"
                + " infra/gw:80 is already routed by HTTPRoute team-a/one"),
        errors(checker.check(httpRoute("team-a", "two", SET, "api.example.com", "/v1"))));
    // the Gateway's own port-80 listener is the same port: a route on the Gateway meets it too
    assertEquals(
        List.of(
            "spec.rules[0].matches[0]: Forbidden: \"api.example.com PathPrefix /v1\" on gateway"
                + " infra/gw:80 is already routed by HTTPRoute team-a/one"),
        errors(
            checker.check(
                httpRoute(
                    "team-c",
                    "three",
                    "{name: gw, namespace: infra, sectionName: http}",
                    "api.example.com",
                    "/v1"))));
  }

  @Test
  void allowedListenersDecideWhetherAListenerSetAttaches() {
    catalog.listenerSet(LISTENER_SET).namespace("team-a", Map.of("shared", "yes"));
    for (String from :
        List.of(
            "All", "Same", "None", "'{from: Selector, selector: {matchLabels: {shared: yes}}}'")) {
      boolean admitted = from.equals("All") || from.startsWith("'");
      String allowed =
          from.startsWith("'") ? "Selector, selector: {matchLabels: {shared: 'yes'}}" : from;
      gateway("ofn-webhook.io/route-policy: deny", allowed);
      OwnedKeys keys =
          checker.routeKeys().of(httpRoute("team-a", "one", SET, "api.example.com", "/"));
      assertEquals(admitted ? 1 : 0, keys.located().size(), from);
      assertEquals(
          admitted
              ? List.of()
              : List.of(
                  "ListenerSet team-a/extra is not allowed by the allowedListeners of gateway infra/gw"),
          keys.warnings(),
          from);
    }
  }

  @Test
  void sectionNamePortAndAllowedRoutesSelectListenerSetListeners() {
    gateway("ofn-webhook.io/route-policy: deny", "All");
    catalog.listenerSet(LISTENER_SET);
    JsonNode both = httpRoute("team-a", "r", SET, "api.example.com, admin.example.com", "/");
    assertEquals(
        List.of(
            "\"api.example.com PathPrefix /\" on gateway infra/gw:80",
            "\"admin.example.com PathPrefix /\" on gateway infra/gw:9090"),
        checker.routeKeys().of(both).located().stream().map(l -> l.key().toString()).toList());
    assertEquals(
        List.of("\"admin.example.com PathPrefix /\" on gateway infra/gw:9090"),
        checker
            .routeKeys()
            .of(
                httpRoute(
                    "team-a",
                    "r",
                    "{kind: ListenerSet, name: extra, namespace: team-a, sectionName: admin}",
                    "api.example.com, admin.example.com",
                    "/"))
            .located()
            .stream()
            .map(l -> l.key().toString())
            .toList());
    OwnedKeys byPort =
        checker
            .routeKeys()
            .of(
                httpRoute(
                    "team-a",
                    "r",
                    "{kind: ListenerSet, name: extra, namespace: team-a, port: 9090}",
                    "api.example.com",
                    "/"));
    assertEquals(List.of(), byPort.located());
    assertEquals(
        List.of("hostname api.example.com matches no listener of ListenerSet team-a/extra"),
        byPort.warnings());
    // the api listener keeps the default allowedRoutes: the ListenerSet's own namespace only
    OwnedKeys elsewhere =
        checker.routeKeys().of(httpRoute("team-b", "r", SET, "api.example.com", "/"));
    assertEquals(List.of(), elsewhere.located());
    assertEquals(
        List.of("namespace team-b is not allowed by listener api of ListenerSet team-a/extra"),
        elsewhere.warnings());
  }
}
