package dev.ofn.webhook.routing;

import static dev.ofn.webhook.routing.Objects.function;
import static dev.ofn.webhook.routing.Objects.httpRoute;
import static dev.ofn.webhook.routing.Objects.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.validation.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Hostname ownership at admission (issue 15), asserting the lines users get. */
class HostOwnershipTest {
  private static final String FN_HOSTS = "spec.serving.triggers.http.route.hostnames[0]";

  private final AtomicLong now = new AtomicLong(1_000_000);
  private TestCatalog catalog = TestCatalog.withDefaultGateway();
  private final ConflictIndex index = new ConflictIndex(now::get);
  private ConflictChecker checker =
      new ConflictChecker(catalog, index, OwnershipMode.NAMESPACE, RoutePolicy.OFF);

  private void store(JsonNode object) {
    index.put(checker.routeKeys().of(object));
  }

  private static ObjectNode created(ObjectNode object, String timestamp) {
    Json.objectAt(object, "metadata").put("creationTimestamp", timestamp);
    return object;
  }

  private static List<String> errors(ConflictCheck check) {
    return check.errors().stream().map(FieldError::render).toList();
  }

  /** The default OFN Gateway with the ownership annotation (and optionally a host template). */
  private void gateway(String mode, String hostTemplate) {
    ObjectNode gateway = Fixtures.load("default-gateway.yaml");
    if (mode != null) {
      Json.objectAt(gateway, "metadata")
          .putObject("annotations")
          .put(Names.HOSTNAME_OWNERSHIP_ANNOTATION, mode);
    }
    if (hostTemplate != null) {
      Json.objectAt(gateway, "spec").put("hostTemplate", hostTemplate);
    }
    catalog = new TestCatalog().add(gateway);
  }

  /** Hostnames under the domain are nobody's by construction: first claims decide. */
  private void noNamespaceInTheHostTemplate() {
    gateway(null, "{{.Name}}.{{.Domain}}");
    defaultMode(OwnershipMode.NAMESPACE);
  }

  private void defaultMode(OwnershipMode mode) {
    checker = new ConflictChecker(catalog, index, mode, RoutePolicy.OFF);
  }

  private ObjectNode shop() {
    return function("team-a", "shop", "[shop.ofn.io]", prefix("/api"));
  }

  @Test
  void anotherNamespacesFunctionAndRouteOnAnOwnedHostAreRefusedNamingTheOwner() {
    store(shop());
    assertEquals(
        List.of(
            FN_HOSTS
                + ": Forbidden: hostname shop.ofn.io belongs to namespace team-a (Function team-a/shop)"),
        errors(
            checker.check(function("team-b", "orders", "[shop.ofn.io]", prefix("/api/orders")))));
    ConflictCheck route =
        checker.check(httpRoute("team-b", "orders", null, "[shop.ofn.io]", prefix("/api/orders")));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname shop.ofn.io belongs to namespace team-a (Function team-a/shop)"),
        errors(route));
    assertEquals(Optional.of("Function team-a/shop"), route.auditAnnotation());
  }

  @Test
  void theOwnersSecondPathOnTheHostIsAllowed() {
    store(shop());
    ConflictCheck check =
        checker.check(httpRoute("team-a", "orders", null, "[shop.ofn.io]", prefix("/orders")));
    assertEquals(List.of(), errors(check));
    assertEquals(List.of(), check.warnings());
  }

  @Test
  void withOwnershipOffAnotherNamespacesPathUnderTheHostsPathIsAdmittedWithAWarning() {
    defaultMode(OwnershipMode.OFF);
    store(shop());
    ConflictCheck check =
        checker.check(function("team-b", "orders", "[shop.ofn.io]", prefix("/api/orders")));
    assertEquals(List.of(), errors(check));
    assertEquals(
        List.of(
            "\"shop.ofn.io PathPrefix /api/orders\" is under \"PathPrefix /api\" of Function team-a/shop"
                + " (another namespace)"),
        check.warnings());
  }

  @Test
  void aShorterPathOverAnotherNamespacesPathIsWarnedToo() {
    defaultMode(OwnershipMode.OFF);
    store(httpRoute("team-b", "orders", null, "[shop.ofn.io]", prefix("/api/orders")));
    assertEquals(
        List.of(
            "\"shop.ofn.io PathPrefix /api\" is a prefix of \"PathPrefix /api/orders\" of HTTPRoute"
                + " team-b/orders (another namespace)"),
        checker.check(shop()).warnings());
  }

  @Test
  void theAnnotationOfTheOfnGatewayOverridesTheServersDefault() {
    gateway("off", null);
    defaultMode(OwnershipMode.NAMESPACE);
    store(shop());
    assertEquals(
        List.of(),
        errors(
            checker.check(function("team-b", "orders", "[shop.ofn.io]", prefix("/api/orders")))));
    gateway("namespace", null);
    defaultMode(OwnershipMode.OFF);
    assertEquals(
        List.of(
            FN_HOSTS
                + ": Forbidden: hostname shop.ofn.io belongs to namespace team-a (Function team-a/shop)"),
        errors(
            checker.check(function("team-b", "orders", "[shop.ofn.io]", prefix("/api/orders")))));
  }

  @Test
  void theOldestClaimDecidesTheOwnerWhateverTheOrderTheIndexLearntThem() {
    store(created(shop(), "2026-02-01T00:00:00Z"));
    store(
        created(
            httpRoute("team-b", "old", null, "[shop.ofn.io]", prefix("/b")),
            "2026-01-01T00:00:00Z"));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname shop.ofn.io belongs to namespace team-b (HTTPRoute team-b/old)"),
        errors(checker.check(httpRoute("team-a", "new", null, "[shop.ofn.io]", prefix("/c")))));
    assertEquals(
        List.of(),
        errors(checker.check(httpRoute("team-b", "new", null, "[shop.ofn.io]", prefix("/c")))));
  }

  @Test
  void aWildcardClaimsItsSubdomainAndIsRefusedOverAnotherNamespacesHost() {
    noNamespaceInTheHostTemplate(); // else x.team-a.ofn.io is team-a's by construction
    store(httpRoute("team-a", "wild", null, "['*.team-a.ofn.io']", null));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname x.team-a.ofn.io belongs to namespace team-a"
                + " (*.team-a.ofn.io of HTTPRoute team-a/wild)"),
        errors(checker.check(httpRoute("team-b", "x", null, "[x.team-a.ofn.io]", null))));
    // the oldest claim under a new wildcard is named
    store(shop());
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname *.ofn.io covers *.team-a.ofn.io, which belongs"
                + " to namespace team-a (HTTPRoute team-a/wild)"),
        errors(checker.check(httpRoute("team-b", "all", null, "['*.ofn.io']", prefix("/z")))));
  }

  @Test
  void aWildcardOverAnotherNamespacesHostIsRefused() {
    store(shop());
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname *.ofn.io covers shop.ofn.io, which belongs to"
                + " namespace team-a (Function team-a/shop)"),
        errors(checker.check(httpRoute("team-b", "all", null, "['*.ofn.io']", prefix("/z")))));
    assertEquals(
        List.of(), errors(checker.check(httpRoute("team-a", "all", null, "['*.ofn.io']", null))));
  }

  @Test
  void aNewWildcardSeesHostnamesAtAnyDepthUnderItUntilTheyGo() {
    store(httpRoute("team-a", "deep", null, "[a.b.team-a.ofn.io]", null));
    store(httpRoute("team-a", "wild", null, "['*.c.team-a.ofn.io']", null));
    ObjectNode wildcard = httpRoute("team-b", "all", null, "['*.ofn.io']", null);
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname *.ofn.io covers a.b.team-a.ofn.io, which belongs"
                + " to namespace team-a (HTTPRoute team-a/deep)"),
        errors(checker.check(wildcard)));
    index.remove(Owner.httpRoute("team-a", "deep"));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname *.ofn.io covers *.c.team-a.ofn.io, which belongs"
                + " to namespace team-a (HTTPRoute team-a/wild)"),
        errors(checker.check(wildcard)));
    index.remove(Owner.httpRoute("team-a", "wild"));
    assertEquals(List.of(), errors(checker.check(wildcard)));
  }

  @Test
  void aRouteWithoutHostnamesClaimsNoneOfTheListenersWildcard() {
    store(httpRoute("team-a", "catch-all", null, null, prefix("/x")));
    assertEquals(
        List.of(),
        errors(checker.check(function("team-b", "orders", "[orders.ofn.io]", prefix("/x")))));
  }

  @Test
  void generatedHostnamesAreTheirNamespacesByConstruction() {
    // another namespace claimed team-b's generated hostname first: team-b's Function is still
    // admitted
    store(httpRoute("team-a", "squat", null, "[orders.team-b.ofn.io]", prefix("/z")));
    assertEquals(List.of(), errors(checker.check(function("team-b", "orders", null, null))));
  }

  @Test
  void theRouteWrittenForAFunctionIsJudgedAsTheFunction() {
    store(httpRoute("team-a", "squat", null, "[orders.team-b.ofn.io]", prefix("/z")));
    assertEquals(
        List.of(),
        errors(
            checker.check(
                Objects.controlledBy(
                    httpRoute("team-b", "orders", null, "[orders.team-b.ofn.io]", null),
                    "orders"))));
    // so is a route of team-b's own on it: the squatter does not own it
    assertEquals(
        List.of(),
        errors(checker.check(httpRoute("team-b", "raw", null, "[orders.team-b.ofn.io]", null))));
  }

  private static final String SQUAT_TEMPLATE =
      "Forbidden: hostname fn.team-a.ofn.io belongs to namespace team-a (the host template of OFN"
          + " Gateway openfunction/openfunction renders it for Functions there)";
  private static final String SQUAT_SERVICE =
      "Forbidden: hostname fn.team-a.svc.cluster.local belongs to namespace team-a (a Service"
          + " hostname of that namespace)";

  @Test
  void anotherNamespaceCannotClaimAGeneratedOrServiceHostnameBeforeItsFunctionExistsInAnyMode() {
    for (OwnershipMode mode : OwnershipMode.values()) {
      defaultMode(mode);
      assertEquals(
          List.of("spec.hostnames[1]: " + SQUAT_SERVICE, "spec.hostnames[0]: " + SQUAT_TEMPLATE),
          errors(
              checker.check(
                  httpRoute(
                      "team-b",
                      "squat",
                      null,
                      "[fn.team-a.ofn.io, fn.team-a.svc.cluster.local]",
                      prefix("/admin")))),
          mode.text());
      assertEquals(
          List.of(FN_HOSTS + ": " + SQUAT_TEMPLATE),
          errors(checker.check(function("team-b", "fn", "[fn.team-a.ofn.io]", null))),
          mode.text());
      // a wildcard over the namespace's generated hostnames is the namespace's too
      assertEquals(
          List.of(
              "spec.hostnames[0]: Forbidden: hostname *.team-a.ofn.io belongs to namespace team-a"
                  + " (the host template of OFN Gateway openfunction/openfunction renders it for"
                  + " Functions there)"),
          errors(checker.check(httpRoute("team-b", "w", null, "['*.team-a.ofn.io']", null))),
          mode.text());
      // the namespace itself may route them, and its Function is admitted
      assertEquals(
          List.of(),
          errors(checker.check(httpRoute("team-a", "r", null, "[fn.team-a.ofn.io]", null))));
      assertEquals(List.of(), errors(checker.check(function("team-a", "fn", null, null))));
    }
  }

  @Test
  void anotherNamespaceCannotAddAPathOnAGeneratedHostnameOnceItsFunctionExists() {
    defaultMode(OwnershipMode.OFF);
    store(function("team-a", "fn", null, null));
    ConflictCheck check =
        checker.check(httpRoute("team-b", "admin", null, "[fn.team-a.ofn.io]", prefix("/admin")));
    assertEquals(List.of("spec.hostnames[0]: " + SQUAT_TEMPLATE), errors(check));
    assertEquals(List.of(), check.warnings());
  }

  @Test
  void aSquatterStoredBeforeTheRuleIsReportedInEveryModeAndDoesNotOwnTheHostname() {
    defaultMode(OwnershipMode.OFF);
    ObjectNode squatter =
        created(
            httpRoute("team-b", "squat", null, "[fn.team-a.ofn.io]", prefix("/admin")),
            "2026-01-01T00:00:00Z");
    store(squatter);
    HostOwnership ownership = checker.ownership();
    assertEquals(
        Optional.of(SQUAT_TEMPLATE.substring("Forbidden: ".length())),
        ownership.lost(checker.routeKeys().of(squatter)));
    assertEquals(
        List.of(
            "HTTPRoute team-b/squat: "
                + SQUAT_TEMPLATE.substring("Forbidden: ".length())
                + " (gateway projectcontour/contour)"),
        ownership.violations().stream().map(Object::toString).toList());
    defaultMode(OwnershipMode.NAMESPACE);
    assertEquals(List.of(), errors(checker.check(function("team-a", "fn", null, null))));
  }

  @Test
  void aTemplateThatCannotTellNamespacesApartGivesTheHostnameToEachNamespaceItRendersItFor() {
    gateway(null, "{{.Name}}-{{.Namespace}}.{{.Domain}}");
    defaultMode(OwnershipMode.OFF);
    ObjectNode route = httpRoute("c", "r", null, "[a-b-c.ofn.io]", null);
    assertEquals(List.of(), errors(checker.check(route)));
    ((ObjectNode) route.get("metadata")).put("namespace", "b-c");
    assertEquals(List.of(), errors(checker.check(route)));
    ((ObjectNode) route.get("metadata")).put("namespace", "team-b");
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname a-b-c.ofn.io belongs to namespace b-c or c (the"
                + " host template of OFN Gateway openfunction/openfunction renders it for Functions"
                + " there)"),
        errors(checker.check(route)));
  }

  @Test
  void aHostTemplateWithoutTheNamespaceGivesHostnamesTheFirstNamespaceOwns() {
    gateway(null, "{{.Name}}.{{.Domain}}");
    defaultMode(OwnershipMode.NAMESPACE);
    store(function("team-a", "orders", null, null));
    assertEquals(
        List.of(
            FN_HOSTS
                + ": Forbidden: hostname orders.ofn.io belongs to namespace team-a (Function team-a/orders)",
            "spec.serving.triggers.http.route.rules[0].matches[0]: Forbidden: \"orders.ofn.io PathPrefix /\""
                + " on gateway projectcontour/contour:80 is already routed by Function team-a/orders"),
        errors(checker.check(function("team-b", "orders", null, null))));
  }

  @Test
  void allowedHostnamesOfTheNamespaceApplyInEveryMode() {
    defaultMode(OwnershipMode.OFF);
    catalog.namespaceAnnotations(
        "team-b", Map.of(Names.ALLOWED_HOSTNAMES_ANNOTATION, "*.team-b.ofn.io, api.ofn.io"));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname shop.ofn.io is not allowed in namespace team-b"
                + " (networking.openfunction.io/allowed-hostnames: *.team-b.ofn.io, api.ofn.io)"),
        errors(checker.check(httpRoute("team-b", "r", null, "[shop.ofn.io]", null))));
    assertEquals(
        List.of(),
        errors(
            checker.check(
                httpRoute(
                    "team-b",
                    "r",
                    null,
                    "[a.team-b.ofn.io, '*.x.team-b.ofn.io', api.ofn.io]",
                    null))));
    // generated and internal hostnames are the namespace's by construction
    assertEquals(List.of(), errors(checker.check(function("team-b", "fn", null, null))));
    // a route without hostnames serves the listener's: *.ofn.io is not allowed
    assertEquals(
        List.of(
            "spec.parentRefs[0]: Forbidden: hostname *.ofn.io is not allowed in namespace team-b"
                + " (networking.openfunction.io/allowed-hostnames: *.team-b.ofn.io, api.ofn.io)"),
        errors(
            checker.check(
                httpRoute(
                    "team-b",
                    "r",
                    "[{name: contour, namespace: projectcontour, sectionName: ofn-http-external}]",
                    null,
                    null))));
  }

  @Test
  void aRefusalQuotesALongAllowedHostnamesAnnotationClipped() {
    String many =
        String.join(
            ",",
            java.util.stream.IntStream.range(0, 300)
                .mapToObj(i -> "h" + i + ".team-b.io")
                .toList());
    catalog.namespaceAnnotations("team-b", Map.of(Names.ALLOWED_HOSTNAMES_ANNOTATION, many));
    assertEquals(
        List.of(
            "spec.hostnames[0]: Forbidden: hostname shop.ofn.io is not allowed in namespace team-b"
                + " (networking.openfunction.io/allowed-hostnames: "
                + many.substring(0, 77)
                + "...)"),
        errors(checker.check(httpRoute("team-b", "r", null, "[shop.ofn.io]", null))));
  }

  @Test
  void anUpdateKeepingAHostnameItAlreadyHadOnlyWarns() {
    noNamespaceInTheHostTemplate(); // else www.shop.ofn.io is namespace shop's by construction
    store(created(shop(), "2026-01-01T00:00:00Z"));
    ObjectNode old =
        created(
            httpRoute("team-b", "orders", null, "[shop.ofn.io]", prefix("/api/orders")),
            "2026-02-01T00:00:00Z");
    store(old);
    ObjectNode updated = old.deepCopy();
    ((ObjectNode) updated.get("spec")).set("rules", Json.YAML.readTree(prefix("/api/orders/v2")));
    ConflictCheck check = checker.check(updated, old);
    assertEquals(List.of(), errors(check));
    assertEquals(
        List.of(
            "existing problem: hostname shop.ofn.io belongs to namespace team-a (Function team-a/shop)"),
        check.warnings());
    // a hostname new to the object is refused
    ((ArrayNodeHolder) () -> updated).hostnames("[shop.ofn.io, www.shop.ofn.io]");
    store(httpRoute("team-a", "www", null, "[www.shop.ofn.io]", null));
    assertEquals(
        List.of(
            "spec.hostnames[1]: Forbidden: hostname www.shop.ofn.io belongs to namespace team-a"
                + " (HTTPRoute team-a/www)"),
        errors(checker.check(updated, old)));
  }

  @Test
  void theControllerAndTheAuditNameTheObjectsThatLostOwnership() {
    ObjectNode squatter =
        created(
            httpRoute("team-b", "orders", null, "[shop.ofn.io]", prefix("/api/orders")),
            "2026-02-01T00:00:00Z");
    store(created(shop(), "2026-01-01T00:00:00Z"));
    store(squatter);
    HostOwnership ownership = checker.ownership();
    assertEquals(
        Optional.of("hostname shop.ofn.io belongs to namespace team-a (Function team-a/shop)"),
        ownership.lost(checker.routeKeys().of(squatter)));
    assertEquals(Optional.empty(), ownership.lost(checker.routeKeys().of(shop())));
    assertEquals(
        List.of(
            "HTTPRoute team-b/orders: hostname shop.ofn.io belongs to namespace team-a (Function"
                + " team-a/shop) (gateway projectcontour/contour)"),
        ownership.violations().stream().map(Object::toString).toList());
  }

  /** Sets spec.hostnames of an HTTPRoute tree. */
  private interface ArrayNodeHolder {
    ObjectNode route();

    default void hostnames(String yaml) {
      ((ObjectNode) route().get("spec")).set("hostnames", Json.YAML.readTree(yaml));
    }
  }
}
