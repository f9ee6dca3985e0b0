package dev.ofn.webhook.routing;

import static dev.ofn.webhook.routing.Objects.controlledBy;
import static dev.ofn.webhook.routing.Objects.function;
import static dev.ofn.webhook.routing.Objects.httpRoute;
import static dev.ofn.webhook.routing.Objects.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.validation.FieldError;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The conflict cases, end to end through keys, index and checker, asserting exact messages.
 */
class ConflictCheckerTest {
  private static final String EXTERNAL =
      "[{name: contour, namespace: projectcontour, sectionName: ofn-http-external}]";

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final TestCatalog catalog = TestCatalog.withDefaultGateway();
  private final ConflictIndex index = new ConflictIndex(now::get);
  private final ConflictChecker checker = new ConflictChecker(catalog, index);

  private void store(JsonNode object) {
    index.put(checker.routeKeys().of(object));
  }

  private static List<String> errors(ConflictCheck check) {
    return check.errors().stream().map(FieldError::render).toList();
  }

  @Test
  void prefixWithAndWithoutTrailingSlashConflict() {
    store(function("default", "other", "[sample.ofn.io]", prefix("/v2/foo")));
    ConflictCheck check =
        checker.check(function("default", "sample", "[sample.ofn.io]", prefix("/v2/foo/")));
    assertEquals(
        List.of(
            "spec.serving.triggers.http.route.rules[0].matches[0]: Forbidden: \"sample.ofn.io PathPrefix /v2/foo\""
                + " on gateway projectcontour/contour:80 is already routed by Function default/other"),
        errors(check));
    assertEquals(List.of(Owner.function("default", "other")), check.conflictsWith());
    assertEquals(Optional.of("Function default/other"), check.auditAnnotation());
    assertTrue(check.denied());
  }

  @Test
  void exactAndPrefixOfTheSamePathDoNotConflict() {
    store(
        function(
            "default",
            "other",
            "[sample.ofn.io]",
            "[{matches: [{path: {type: Exact, value: /a}}]}]"));
    ConflictCheck check =
        checker.check(function("default", "sample", "[sample.ofn.io]", prefix("/a")));
    assertEquals(List.of(), errors(check));
    assertFalse(check.denied());
    assertEquals(Optional.empty(), check.auditAnnotation());
  }

  @Test
  void routeWithoutHostnamesOnWildcardListenerConflictsWithThatWildcard() {
    store(httpRoute("default", "wild", EXTERNAL, "['*.ofn.io']", null));
    ConflictCheck check = checker.check(httpRoute("default", "any", EXTERNAL, null, null));
    assertEquals(
        List.of(
            "spec.rules[0]: Forbidden: \"*.ofn.io PathPrefix /\" on gateway projectcontour/contour:80"
                + " is already routed by HTTPRoute default/wild"),
        errors(check));
  }

  @Test
  void routesWithoutHostnamesOnTheSameGatewayAndPathConflict() {
    store(httpRoute("default", "first", null, null, prefix("/api")));
    ConflictCheck check = checker.check(httpRoute("team", "second", null, null, prefix("/api/")));
    // Every listener of the gateway gives a key: the internal one and the external one.
    assertEquals(
        List.of(
            "spec.rules[0].matches[0]: Forbidden: \"*.cluster.local PathPrefix /api\" on gateway projectcontour/contour:80"
                + " is already routed by HTTPRoute default/first",
            "spec.rules[0].matches[0]: Forbidden: \"*.ofn.io PathPrefix /api\" on gateway projectcontour/contour:80"
                + " is already routed by HTTPRoute default/first"),
        errors(check));
  }

  @Test
  void wildcardAndExactHostnameDoNotConflict() {
    store(httpRoute("default", "wild", null, "['*.ofn.io']", null));
    assertEquals(
        List.of(), errors(checker.check(httpRoute("default", "exact", null, "[a.ofn.io]", null))));
  }

  @Test
  void samePathWithDifferentMethodOrHeadersDoesNotConflict() {
    store(
        httpRoute(
            "default",
            "get",
            null,
            "[a.ofn.io]",
            "[{matches: [{path: {value: /x}, method: GET}]}]"));
    store(
        httpRoute(
            "default",
            "hdr",
            null,
            "[a.ofn.io]",
            "[{matches: [{path: {value: /y}, headers: [{name: X-Env, value: prod}]}]}]"));
    assertEquals(
        List.of(),
        errors(
            checker.check(
                httpRoute(
                    "default",
                    "post",
                    null,
                    "[a.ofn.io]",
                    "[{matches: [{path: {value: /x}, method: POST}]}]"))));
    assertEquals(
        List.of(),
        errors(
            checker.check(
                httpRoute(
                    "default",
                    "hdr2",
                    null,
                    "[a.ofn.io]",
                    "[{matches: [{path: {value: /y}, headers: [{name: X-Env, value: prod}, {name: x-team, value: a}]}]}]"))));
    // The same header set, differently written (name case, order, explicit default type), does
    // conflict.
    assertEquals(
        List.of(
            "spec.rules[0].matches[0]: Forbidden: \"a.ofn.io PathPrefix /y header x-env=prod\""
                + " on gateway projectcontour/contour:80 is already routed by HTTPRoute default/hdr"),
        errors(
            checker.check(
                httpRoute(
                    "default",
                    "hdr3",
                    null,
                    "[a.ofn.io]",
                    "[{matches: [{path: {value: /y/}, headers: [{name: x-env, type: Exact, value: prod}]}]}]"))));
  }

  @Test
  void differentParentGatewaysDoNotConflict() {
    catalog.add(
        TestCatalog.yaml(
            """
        apiVersion: networking.openfunction.io/v1alpha1
        kind: Gateway
        metadata: {name: other, namespace: team}
        spec:
          domain: ofn.io
          gatewayRef: {name: istio, namespace: istio-system}
          gatewaySpec:
            listeners:
              - {name: ofn-http-external, hostname: "*.ofn.io", protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
        """));
    store(httpRoute("default", "on-contour", null, "[a.ofn.io]", null));
    ConflictCheck check =
        checker.check(
            httpRoute(
                "default",
                "on-istio",
                "[{name: istio, namespace: istio-system}]",
                "[a.ofn.io]",
                null));
    assertEquals(List.of(), errors(check));
    assertEquals(1, check.keys().keys().size());
  }

  @Test
  void duplicateKeysInsideOneObjectAreDenied() {
    ConflictCheck check =
        checker.check(
            function(
                "default",
                "twice",
                "[a.ofn.io]",
                "[{matches: [{path: {value: /a}}]}, {matches: [{path: {value: /b}}, {path: {value: /a/}}]}]"));
    // The internal host is a hostname of the route too, so it is routed twice as well.
    assertEquals(
        List.of(
            "spec.serving.triggers.http.route.rules[1].matches[1]: Forbidden: \"a.ofn.io PathPrefix /a\""
                + " on gateway projectcontour/contour:80 is routed twice in this object"
                + " (also by spec.serving.triggers.http.route.rules[0].matches[0])",
            "spec.serving.triggers.http.route.rules[1].matches[1]: Forbidden: \"twice.default.svc.cluster.local PathPrefix /a\""
                + " on gateway projectcontour/contour:80 is routed twice in this object"
                + " (also by spec.serving.triggers.http.route.rules[0].matches[0])"),
        errors(check));
    assertEquals(List.of(), check.conflictsWith());
  }

  @Test
  void duplicatesTheOldObjectAlreadyHadOnlyWarn() {
    var twice =
        function(
            "default",
            "twice",
            "[a.ofn.io]",
            "[{matches: [{path: {value: /a}}, {path: {value: /a/}}]}]");
    ConflictCheck check = checker.check(twice, twice);
    assertEquals(List.of(), errors(check));
    assertEquals(
        List.of(
            "\"a.ofn.io PathPrefix /a\" on gateway projectcontour/contour:80 is routed twice in this object",
            "\"twice.default.svc.cluster.local PathPrefix /a\" on gateway projectcontour/contour:80 is routed twice in this object"),
        check.warnings());
  }

  @Test
  void anObjectNeverConflictsWithItself() {
    var fn = function("default", "self", "[a.ofn.io]", prefix("/"));
    store(fn);
    assertEquals(List.of(), errors(checker.check(fn, fn)));
    assertEquals(List.of(), errors(checker.check(fn)));
  }

  @Test
  void httpRouteControlledByAFunctionCountsAsThatFunction() {
    var fn = function("default", "owner", "[a.ofn.io]", prefix("/"));
    store(fn);
    // The route written for the Function claims the same keys without conflicting with it...
    var written = controlledBy(httpRoute("default", "owner", null, "[a.ofn.io]", null), "owner");
    assertEquals(List.of(), errors(checker.check(written)));
    store(written);
    // ...and a third party is told about the Function, not the route.
    index.remove(Owner.function("default", "owner"));
    assertEquals(
        List.of(
            "spec.rules[0]: Forbidden: \"a.ofn.io PathPrefix /\" on gateway projectcontour/contour:80"
                + " is already routed by Function default/owner"),
        errors(checker.check(httpRoute("default", "intruder", null, "[a.ofn.io]", null))));
  }

  @Test
  void deletingAFunctionFreesItsKeys() {
    store(function("default", "gone", "[a.ofn.io]", prefix("/")));
    var fn = function("default", "next", "[a.ofn.io]", prefix("/"));
    assertTrue(checker.check(fn).denied());
    assertTrue(index.remove(Owner.function("default", "gone")));
    assertFalse(checker.check(fn).denied());
    assertEquals(0, index.keyCount());
  }

  @Test
  void reservationsDenyUntilTheyExpireAfter30Seconds() {
    var first = function("default", "first", "[a.ofn.io]", prefix("/"));
    index.reserve(checker.check(first).keys());
    now.addAndGet(5_400);
    var second = function("default", "second", "[a.ofn.io]", prefix("/"));
    assertEquals(
        List.of(
            "spec.serving.triggers.http.route.rules[0].matches[0]: Forbidden: \"a.ofn.io PathPrefix /\""
                + " on gateway projectcontour/contour:80 is already routed by Function default/first (admitted 5s ago, not yet stored)"),
        errors(checker.check(second)));
    now.addAndGet(24_599);
    assertTrue(checker.check(second).denied());
    now.addAndGet(1);
    assertFalse(checker.check(second).denied());
    assertEquals(0, index.reservationCount());
    assertEquals(0, index.keyCount());
  }

  @Test
  void reservationsClearWhenTheInformerShowsTheOwner() {
    var first = function("default", "first", "[a.ofn.io]", prefix("/"));
    index.reserve(checker.check(first).keys());
    store(first);
    assertEquals(0, index.reservationCount());
    var second = function("default", "second", "[a.ofn.io]", prefix("/"));
    // Stored now: no "not yet stored" suffix.
    assertEquals(
        List.of(
            "spec.serving.triggers.http.route.rules[0].matches[0]: Forbidden: \"a.ofn.io PathPrefix /\""
                + " on gateway projectcontour/contour:80 is already routed by Function default/first"),
        errors(checker.check(second)));
    index.remove(Owner.function("default", "first"));
    assertFalse(checker.check(second).denied());
  }

  @Test
  void ratchetingDeniesOnlyKeysTheOldObjectDidNotHave() {
    store(
        function(
            "default",
            "other",
            "[a.ofn.io]",
            "[{matches: [{path: {value: /a}}, {path: {value: /b}}]}]"));
    var old = function("default", "mine", "[a.ofn.io]", prefix("/a"));
    var updated =
        function(
            "default",
            "mine",
            "[a.ofn.io]",
            "[{matches: [{path: {value: /a}}, {path: {value: /b}}]}]");
    ConflictCheck check = checker.check(updated, old);
    assertEquals(
        List.of(
            "spec.serving.triggers.http.route.rules[0].matches[1]: Forbidden: \"a.ofn.io PathPrefix /b\""
                + " on gateway projectcontour/contour:80 is already routed by Function default/other"),
        errors(check));
    assertEquals(
        List.of(
            "\"a.ofn.io PathPrefix /a\" on gateway projectcontour/contour:80"
                + ": existing conflict with Function default/other"),
        check.warnings());
    assertTrue(check.warnings().stream().allMatch(w -> w.length() <= 120));
  }

  @Test
  void hostnameOutsideEveryListenerGivesNoKeyAndAWarning() {
    ConflictCheck check =
        checker.check(httpRoute("default", "podinfo", null, "[podinfo.com]", null));
    assertEquals(List.of(), check.keys().located());
    assertEquals(
        List.of("hostname podinfo.com matches no listener of gateway projectcontour/contour"),
        check.warnings());
  }

  @Test
  void uppercaseHostnameGivesNoKey() {
    store(httpRoute("default", "lower", null, "[a.ofn.io]", null));
    ConflictCheck check = checker.check(httpRoute("default", "upper", null, "[A.ofn.io]", null));
    assertEquals(List.of(), check.keys().located());
    assertEquals(List.of(), errors(check));
    assertEquals(List.of(), check.warnings()); // validation reports the hostname itself
  }

  @Test
  void aFunctionWhoseGatewayIsNotFoundHasNoKeys() {
    var fn = function("default", "lost", "[a.ofn.io]", prefix("/"));
    fn.withObject("/spec/serving/triggers/http/route/gatewayRef").put("name", "missing");
    ConflictCheck check = checker.check(fn);
    assertEquals(List.of(), check.keys().located());
    assertEquals(List.of(), check.warnings());
  }

  @Test
  void clashWithSeveralOwnersNamesEach() {
    index.put(
        Owner.httpRoute("a", "one"),
        Owner.httpRoute("a", "one"),
        checker.routeKeys().of(httpRoute("a", "one", null, "[x.ofn.io]", null)).keys());
    index.put(
        Owner.httpRoute("b", "two"),
        Owner.httpRoute("b", "two"),
        checker.routeKeys().of(httpRoute("b", "two", null, "[x.ofn.io]", null)).keys());
    ConflictCheck check = checker.check(httpRoute("c", "three", null, "[x.ofn.io]", null));
    assertEquals(
        List.of(
            "spec.rules[0]: Forbidden: \"x.ofn.io PathPrefix /\" on gateway projectcontour/contour:80 is already routed by HTTPRoute a/one",
            "spec.rules[0]: Forbidden: \"x.ofn.io PathPrefix /\" on gateway projectcontour/contour:80 is already routed by HTTPRoute b/two"),
        errors(check));
    assertEquals(Optional.of("HTTPRoute a/one, HTTPRoute b/two"), check.auditAnnotation());
  }
}
