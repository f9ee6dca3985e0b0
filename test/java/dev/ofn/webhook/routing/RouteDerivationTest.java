package dev.ofn.webhook.routing;

import static dev.ofn.webhook.routing.TestCatalog.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.Names;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Derivation of the fixtures into whole HTTPRoutes, the generated-route annotation, status helpers.
 */
class RouteDerivationTest {
  private static final String V1BETA1 = "gateway.networking.k8s.io/v1beta1";
  private final OfnGateway gateway = OfnGateway.from(Fixtures.load("default-gateway.yaml"));

  private static void assertTree(String expectedYaml, Object actual) {
    assertEquals(
        yaml(expectedYaml).toPrettyString(),
        actual == null ? null : ((ObjectNode) actual).toPrettyString());
  }

  @Test
  void servingOnlySampleWithKnative() {
    ObjectNode fn = Fixtures.load("function-sample-serving-only.yaml", "default");
    ((ObjectNode) fn.get("metadata")).put("uid", "6f1c-uid");
    assertEquals(
        List.of(
            "function-sample-serving-only.default.ofn.io",
            "function-sample-serving-only.default.svc.cluster.local"),
        RouteDerivation.hostnames(fn, gateway));
    assertTree(
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: HTTPRoute
        metadata:
          name: function-sample-serving-only
          namespace: default
          labels:
            app.kubernetes.io/managed-by: openfunction.openfunction
            openfunction.io/function: function-sample-serving-only
            app.kubernetes.io/created-by: ofn-webhook
          ownerReferences:
            - apiVersion: core.openfunction.io/v1beta2
              kind: Function
              name: function-sample-serving-only
              uid: 6f1c-uid
              controller: true
              blockOwnerDeletion: true
        spec:
          parentRefs:
            - {group: gateway.networking.k8s.io, kind: Gateway, namespace: projectcontour, name: contour, sectionName: ofn-http-internal}
            - {group: gateway.networking.k8s.io, kind: Gateway, namespace: projectcontour, name: contour, sectionName: ofn-http-external}
          hostnames:
            - function-sample-serving-only.default.ofn.io
            - function-sample-serving-only.default.svc.cluster.local
          rules:
            - matches:
                - path: {type: PathPrefix, value: /}
              backendRefs:
                - {group: "", kind: Service, name: function-sample-serving-only-00001, namespace: default, port: 80, weight: 1}
              filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set:
                      - {name: Host, value: function-sample-serving-only-00001.default.svc.cluster.local}
        """,
        RouteDerivation.httpRoute(
            fn, gateway, Backend.knative("function-sample-serving-only-00001"), V1BETA1));
  }

  @Test
  void kedaSampleKeepsItsHostnameAndRulesAndSendsItsHostToTheInterceptor() {
    ObjectNode fn = Fixtures.load("function-kedahttp-sample-serving.yaml", "team");
    // podinfo.com is on no listener of the default gateway: only the internal listener is a parent.
    assertTree(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: kedahttp-sample
          namespace: team
          labels:
            app.kubernetes.io/managed-by: openfunction.openfunction
            openfunction.io/function: kedahttp-sample
            app.kubernetes.io/created-by: ofn-webhook
          ownerReferences:
            - {apiVersion: core.openfunction.io/v1beta2, kind: Function, name: kedahttp-sample, controller: true, blockOwnerDeletion: true}
        spec:
          parentRefs:
            - {group: gateway.networking.k8s.io, kind: Gateway, namespace: projectcontour, name: contour, sectionName: ofn-http-internal}
          hostnames: [podinfo.com, kedahttp-sample.team.svc.cluster.local]
          rules:
            - matches:
                - path: {type: PathPrefix, value: /}
              backendRefs:
                - {group: "", kind: Service, name: keda-add-ons-http-interceptor-proxy, namespace: team, port: 8080, weight: 1}
              filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: Host, value: podinfo.com}]
        """,
        RouteDerivation.httpRoute(fn, gateway, Backend.keda(), "gateway.networking.k8s.io/v1"));
  }

  @Test
  void wasmedgeSampleGetsGeneratedHostnamesAndKeepsItsRules() {
    ObjectNode fn = Fixtures.load("wasmedge-http-server.yaml", "default");
    var derived = RouteDerivation.derive(fn, gateway).orElseThrow();
    assertEquals(
        List.of(
            "wasmedge-http-server.default.ofn.io",
            "wasmedge-http-server.default.svc.cluster.local"),
        derived.hostnames());
    assertEquals(yaml("[{matches: [{path: {type: PathPrefix, value: /echo}}]}]"), derived.rules());
    assertEquals(Optional.of(Names.DEFAULT_GATEWAY), FunctionRoute.gatewayRef(fn));
  }

  @Test
  void generatedFieldsAreRenderedFromTheCurrentGateway() {
    ObjectNode fn =
        Objects.function(
            "default",
            "fn",
            "[fn.default.old.io]",
            "[{matches: [{path: {type: PathPrefix, value: /}}]}]");
    ((ObjectNode) fn.get("metadata"))
        .putObject("annotations")
        .put(Names.GENERATED_ROUTE_ANNOTATION, "hostnames,rules");
    var derived = RouteDerivation.derive(fn, gateway).orElseThrow();
    assertEquals(List.of("fn.default.ofn.io", "fn.default.svc.cluster.local"), derived.hostnames());
    assertEquals(yaml("[{matches: [{path: {type: PathPrefix, value: /}}]}]"), derived.rules());
  }

  @Test
  void generatedRulesUnderUserHostnamesUseThePathTemplate() {
    ObjectNode fn = Objects.function("default", "fn", "[custom.ofn.io]", null);
    var derived = RouteDerivation.derive(fn, gateway).orElseThrow();
    assertEquals(List.of("custom.ofn.io", "fn.default.svc.cluster.local"), derived.hostnames());
    assertEquals(
        yaml("[{matches: [{path: {type: PathPrefix, value: /default/fn}}]}]"), derived.rules());
  }

  @Test
  void internalHostIsNotAppendedTwice() {
    ObjectNode fn =
        Objects.function("default", "fn", "[fn.default.svc.cluster.local, a.ofn.io]", null);
    assertEquals(
        List.of("fn.default.svc.cluster.local", "a.ofn.io"),
        RouteDerivation.hostnames(fn, gateway));
  }

  @Test
  void hostIsMergedIntoTheRulesOwnRequestHeaderModifier() {
    ObjectNode fn =
        Objects.function(
            "default",
            "fn",
            "[a.ofn.io]",
            """
        - matches: [{path: {value: /x}}]
          backendRefs: [{name: ignored, port: 1}]
          filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier: {add: [{name: X-R, value: r}]}
            - type: RequestHeaderModifier
              requestHeaderModifier:
                add: [{name: host, value: evil}, {name: X-A, value: a}]
                set: [{name: X-S, value: s}, {name: HOST, value: other}]
                remove: [Host]
        """);
    ObjectNode route = RouteDerivation.httpRoute(fn, gateway, Backend.knative("fn-00002"), V1BETA1);
    assertEquals(
        yaml(
            """
        - matches: [{path: {value: /x}}]
          backendRefs: [{group: "", kind: Service, name: fn-00002, namespace: default, port: 80, weight: 1}]
          filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier: {add: [{name: X-R, value: r}]}
            - type: RequestHeaderModifier
              requestHeaderModifier:
                add: [{name: X-A, value: a}]
                set: [{name: X-S, value: s}, {name: Host, value: fn-00002.default.svc.cluster.local}]
        """),
        route.at("/spec/rules"));
  }

  @Test
  void parentRefWithoutSectionNameWhenNoListenerIntersects() {
    OfnGateway bare =
        OfnGateway.from(
            yaml(
                """
        apiVersion: networking.openfunction.io/v1alpha1
        kind: Gateway
        metadata: {name: bare, namespace: gw}
        spec: {domain: bare.io, gatewayRef: {name: envoy, namespace: gw}}
        """));
    assertEquals(
        yaml("[{group: gateway.networking.k8s.io, kind: Gateway, namespace: gw, name: envoy}]"),
        RouteDerivation.parentRefs(List.of("a.bare.io"), bare));
  }

  @Test
  void functionsWithoutAnHttpTriggerGetNoRoute() {
    ObjectNode fn = Objects.function("default", "fn", null, null);
    fn.withObject("/spec").remove("serving");
    assertNull(RouteDerivation.httpRoute(fn, gateway, Backend.keda(), V1BETA1));
  }

  @Test
  void statusPathsAndAddresses() {
    var paths =
        RouteStatus.paths(
            yaml(
                """
        - matches: [{path: {type: PathPrefix, value: /a}}, {path: {type: Exact, value: /b}}, {headers: [{name: x, value: y}]}]
        - {}
        """));
    assertEquals(
        yaml(
            "[{type: PathPrefix, value: /a}, {type: Exact, value: /b}, {type: PathPrefix, value: /}]"),
        paths);
    assertEquals(
        yaml(
            """
        - {type: External, value: "http://function-sample.default.ofn.io/"}
        - {type: Internal, value: "http://function-sample.default.svc.cluster.local/"}
        """),
        RouteStatus.addresses(
            List.of("function-sample.default.ofn.io", "function-sample.default.svc.cluster.local"),
            RouteStatus.paths(yaml("[{matches: [{path: {type: PathPrefix, value: /}}]}]")),
            "cluster.local"));
    assertEquals(
        yaml(
            """
        - {type: External, value: "http://a.ofn.io/a"}
        - {type: External, value: "http://a.ofn.io/b"}
        - {type: External, value: "http://a.ofn.io/"}
        """),
        RouteStatus.addresses(List.of("a.ofn.io"), paths, "cluster.local"));
  }

  @Test
  void statusPathsStayWithinTheCrdLimit() {
    var rules = Json.array();
    for (int i = 0; i < 20; i++) {
      rules
          .addObject()
          .putArray("matches")
          .addObject()
          .putObject("path")
          .put("type", "Exact")
          .put("value", "/p" + i);
    }
    assertEquals(16, RouteStatus.paths(rules).size());
  }
}
