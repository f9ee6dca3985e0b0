package dev.ofn.webhook.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatchAndHostnamesTest {

  @ParameterizedTest(name = "{0} ∩ {1} = {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "-, -, *",
        "-, a.ofn.io, a.ofn.io",
        "*.ofn.io, -, *.ofn.io",
        "*.ofn.io, a.ofn.io, a.ofn.io",
        "*.ofn.io, a.b.ofn.io, a.b.ofn.io",
        "*.ofn.io, ofn.io, -",
        "*.ofn.io, *.ofn.io, *.ofn.io",
        "*.ofn.io, *.a.ofn.io, *.a.ofn.io",
        "a.ofn.io, *.ofn.io, a.ofn.io",
        "*.a.ofn.io, *.ofn.io, *.a.ofn.io",
        "a.ofn.io, b.ofn.io, -",
        "*.cluster.local, fn.default.svc.cluster.local, fn.default.svc.cluster.local",
        "*.cluster.local, a.ofn.io, -",
      })
  void hostnameIntersection(String listener, String route, String expected) {
    assertEquals(expected, Hostnames.intersect(listener, route));
  }

  @Test
  void hostnameValidity() {
    assertTrue(Hostnames.valid("a.ofn.io"));
    assertTrue(Hostnames.valid("*.ofn.io"));
    assertFalse(Hostnames.valid("A.ofn.io"));
    assertFalse(Hostnames.valid("a..io"));
    assertFalse(Hostnames.valid("*"));
    assertFalse(Hostnames.valid("a.*.io"));
    assertFalse(Hostnames.valid("a".repeat(254)));
  }

  @Test
  void matchNormalisation() {
    assertSame(Match.ROOT, Match.of(TestCatalog.yaml("{}")));
    assertSame(Match.ROOT, Match.of(TestCatalog.yaml("{path: {type: PathPrefix, value: /}}")));
    assertEquals(
        Match.of(TestCatalog.yaml("{path: {value: /a/}}")),
        Match.of(TestCatalog.yaml("{path: {type: PathPrefix, value: /a}}")));
    assertNotEquals(
        Match.of(TestCatalog.yaml("{path: {type: Exact, value: /a/}}")),
        Match.of(TestCatalog.yaml("{path: {type: Exact, value: /a}}")));
    Match a =
        Match.of(
            TestCatalog.yaml(
                """
        {path: {value: /q}, method: GET, headers: [{name: B, value: "2"}, {name: a, type: RegularExpression, value: "^x"}],
         queryParams: [{name: V, value: "1"}]}"""));
    Match b =
        Match.of(
            TestCatalog.yaml(
                """
        {path: {value: /q/}, method: GET, headers: [{name: A, type: RegularExpression, value: "^x"}, {name: b, type: Exact, value: "2"}],
         queryParams: [{name: V, type: Exact, value: "1"}]}"""));
    assertEquals(a, b);
    assertEquals("PathPrefix /q method=GET header a~^x header b=2 query V=1", a.toString());
    // Query-param names are case-sensitive (Gateway API), unlike header names.
    assertNotEquals(
        a,
        Match.of(
            TestCatalog.yaml(
                """
        {path: {value: /q}, method: GET, headers: [{name: b, value: "2"}, {name: a, type: RegularExpression, value: "^x"}],
         queryParams: [{name: v, value: "1"}]}""")));
  }
}
