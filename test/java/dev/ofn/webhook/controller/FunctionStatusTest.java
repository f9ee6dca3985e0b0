package dev.ofn.webhook.controller;

import static dev.ofn.webhook.controller.MockCluster.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.controller.FunctionStatus.Reason;
import dev.ofn.webhook.controller.FunctionStatus.RouteReadiness;
import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FunctionStatusTest {
  static final Instant NOW = Instant.parse("2025-06-01T10:00:00.123Z");
  static final JsonNode ROUTE =
      yaml(
          """
      spec:
        hostnames: [fn.default.ofn.io, fn.default.svc.cluster.local]
        rules:
          - matches: [{path: {type: PathPrefix, value: /}}, {path: {type: Exact, value: /v2}}]
          - {}
      status:
        parents:
          - parentRef: {name: contour, sectionName: ofn-http-internal}
            conditions:
              - {type: Accepted, status: "True", reason: Accepted, message: a, lastTransitionTime: "2025-01-01T00:00:00Z"}
              - {type: ResolvedRefs, status: "True", reason: ResolvedRefs, message: r, lastTransitionTime: "2025-01-01T00:00:00Z"}
          - parentRef: {name: contour, sectionName: ofn-http-external}
            conditions:
              - {type: Accepted, status: "False", reason: NotAllowedByListeners, message: n, lastTransitionTime: "2025-01-02T00:00:00Z"}
      """);

  @Test
  void statusHasHostsPathsAddressesAndConditionsMergedOverParents() {
    assertEquals(
        yaml("""
        route:
          hosts: [fn.default.ofn.io, fn.default.svc.cluster.local]
          paths: [{type: PathPrefix, value: /}, {type: Exact, value: /v2}]
          conditions:
            - {type: RouteReady, status: "True", reason: Accepted, message: ok, lastTransitionTime: "2025-06-01T10:00:00Z", observedGeneration: 3}
            - {type: Accepted, status: "False", reason: NotAllowedByListeners, message: n, lastTransitionTime: "2025-01-02T00:00:00Z"}
            - {type: ResolvedRefs, status: "True", reason: ResolvedRefs, message: r, lastTransitionTime: "2025-01-01T00:00:00Z"}
        addresses:
          - {type: External, value: "http://fn.default.ofn.io/"}
          - {type: External, value: "http://fn.default.ofn.io/v2"}
          - {type: Internal, value: "http://fn.default.svc.cluster.local/"}
          - {type: Internal, value: "http://fn.default.svc.cluster.local/v2"}
        """)
            .toPrettyString(),
        FunctionStatus.desired(
                new RouteReadiness(Reason.Accepted, "ok"),
                yaml("{}"),
                3,
                NOW,
                ROUTE,
                "cluster.local",
                List.of())
            .toPrettyString());
  }

  @Test
  void hostsServedByAnHttpsListenerGetHttpsAddressesAndBothWhenAlsoHttp() {
    JsonNode route =
        yaml(
            """
        spec:
          parentRefs:
            - {name: gw, sectionName: https}
            - {name: gw, sectionName: internal}
          hostnames: [fn.default.secure.io, both.secure.io, fn.default.svc.cluster.local]
          rules: [{}]
        """);
    List<Listener> listeners =
        List.of(
            Listener.from(
                yaml("{name: https, hostname: '*.secure.io', port: 443, protocol: HTTPS}")),
            Listener.from(
                yaml("{name: internal, hostname: '*.cluster.local', port: 80, protocol: HTTP}")),
            // not attached (no parentRef names it): does not count
            Listener.from(
                yaml("{name: other, hostname: 'fn.default.secure.io', port: 80, protocol: HTTP}")));
    assertEquals(
        Json.YAML
            .readTree(
                """
        - {type: External, value: "https://fn.default.secure.io/"}
        - {type: External, value: "https://both.secure.io/"}
        - {type: Internal, value: "http://fn.default.svc.cluster.local/"}
        """)
            .toPrettyString(),
        FunctionStatus.desired(
                new RouteReadiness(Reason.Accepted, "ok"),
                yaml("{}"),
                1,
                NOW,
                route,
                "cluster.local",
                listeners)
            .path("addresses")
            .toPrettyString());
    List<Listener> both =
        List.of(
            listeners.get(0),
            Listener.from(
                yaml("{name: https, hostname: 'both.secure.io', port: 80, protocol: HTTP}")));
    assertEquals(
        List.of("http://both.secure.io/", "https://both.secure.io/"),
        FunctionStatus.desired(
                new RouteReadiness(Reason.Accepted, "ok"),
                yaml("{}"),
                1,
                NOW,
                yaml("{spec: {hostnames: [both.secure.io], rules: [{}]}}"),
                "cluster.local",
                both)
            .path("addresses")
            .valueStream()
            .map(a -> a.path("value").asString())
            .toList());
  }

  @Test
  void withoutARouteOnlyTheConditionIsReported() {
    assertEquals(
        yaml("""
        route:
          conditions:
            - {type: RouteReady, status: "False", reason: GatewayNotFound, message: gone, lastTransitionTime: "2025-06-01T10:00:00Z", observedGeneration: 1}
        """)
            .toPrettyString(),
        FunctionStatus.desired(
                new RouteReadiness(Reason.GatewayNotFound, "gone"),
                yaml("{}"),
                1,
                NOW,
                null,
                null,
                List.of())
            .toPrettyString());
  }

  @Test
  void lastTransitionTimeMovesOnlyWithTheStatus() {
    JsonNode previous =
        yaml(
            """
        route:
          conditions: [{type: RouteReady, status: "False", reason: BackendNotReady, message: m, lastTransitionTime: "2024-01-01T00:00:00Z"}]
        """);
    assertEquals(
        "2024-01-01T00:00:00Z",
        FunctionStatus.routeReady(new RouteReadiness(Reason.RouteConflict, "c"), previous, 1, NOW)
            .path("lastTransitionTime")
            .asString(),
        "False → False with another reason: same transition");
    assertEquals(
        "2025-06-01T10:00:00Z",
        FunctionStatus.routeReady(new RouteReadiness(Reason.Accepted, "ok"), previous, 1, NOW)
            .path("lastTransitionTime")
            .asString());
    assertEquals("BackendNotReady", FunctionStatus.currentReason(previous));
  }
}
