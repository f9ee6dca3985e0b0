package dev.ofn.webhook.routing;

import static dev.ofn.webhook.routing.Objects.function;
import static dev.ofn.webhook.routing.Objects.httpRoute;
import static dev.ofn.webhook.routing.Objects.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ofn.webhook.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Which keys and warnings objects get: listeners, allowedRoutes, parents we do not police. */
class RouteKeysTest {
  private final TestCatalog catalog = TestCatalog.withDefaultGateway();
  private final RouteKeys keys = new RouteKeys(catalog);

  private List<String> located(JsonNode object) {
    return keys.of(object).located().stream()
        .map(l -> l.path() + " " + l.key().describe())
        .toList();
  }

  @Test
  void functionKeysComeFromItsDerivedRouteIncludingTheInternalHost() {
    assertEquals(
        List.of(
            "spec.serving.triggers.http.route.rules[0].matches[0] \"function-sample-serving-only.default.ofn.io PathPrefix /\""
                + " on gateway projectcontour/contour:80",
            "spec.serving.triggers.http.route.rules[0].matches[0] \"function-sample-serving-only.default.svc.cluster.local"
                + " PathPrefix /\" on gateway projectcontour/contour:80"),
        located(Fixtures.load("function-sample-serving-only.yaml", "default")));
    OwnedKeys owned = keys.of(Fixtures.load("function-sample-serving-only.yaml", "default"));
    assertEquals(Owner.function("default", "function-sample-serving-only"), owned.owner());
    assertEquals(List.of(), owned.warnings());
  }

  @Test
  void kedaSampleHostnameOutsideTheListenersIsWarnedAbout() {
    OwnedKeys owned = keys.of(Fixtures.load("function-kedahttp-sample-serving.yaml", "default"));
    assertEquals(
        List.of("hostname podinfo.com matches no listener of gateway projectcontour/contour"),
        owned.warnings());
    assertEquals(
        List.of(
            "spec.serving.triggers.http.route.rules[0].matches[0] \"kedahttp-sample.default.svc.cluster.local"
                + " PathPrefix /\" on gateway projectcontour/contour:80"),
        located(Fixtures.load("function-kedahttp-sample-serving.yaml", "default")));
  }

  @Test
  void namespaceNotAdmittedBySameGivesNoKeyAndAWarning() {
    catalog.k8sGateway(
        "projectcontour",
        "contour",
        """
        - {name: web, hostname: "*.ofn.io", port: 80, protocol: HTTP}
        """);
    OwnedKeys owned = keys.of(httpRoute("team-a", "r", null, "[a.ofn.io]", null));
    assertEquals(List.of(), owned.located());
    assertEquals(
        List.of(
            "namespace team-a is not allowed by listener web of gateway projectcontour/contour"),
        owned.warnings());
    // The gateway's own namespace is admitted by the default (Same).
    assertEquals(
        1, keys.of(httpRoute("projectcontour", "r", null, "[a.ofn.io]", null)).located().size());
  }

  @Test
  void selectorListenersAdmitNamespacesByLabel() {
    catalog.k8sGateway(
        "projectcontour",
        "contour",
        """
        - name: web
          hostname: "*.ofn.io"
          port: 80
          protocol: HTTP
          allowedRoutes:
            namespaces:
              from: Selector
              selector:
                matchLabels: {ingress: shared}
                matchExpressions: [{key: tier, operator: NotIn, values: [restricted]}]
        """);
    catalog.namespace("team-a", Map.of("ingress", "shared"));
    catalog.namespace("team-b", Map.of("ingress", "shared", "tier", "restricted"));
    assertEquals(1, keys.of(httpRoute("team-a", "r", null, "[a.ofn.io]", null)).located().size());
    OwnedKeys refused = keys.of(httpRoute("team-b", "r", null, "[a.ofn.io]", null));
    assertEquals(List.of(), refused.located());
    assertEquals(
        List.of(
            "namespace team-b is not allowed by listener web of gateway projectcontour/contour"),
        refused.warnings());
  }

  @Test
  void selectorByNamespaceNameWorksWithoutKnownLabels() {
    catalog.k8sGateway(
        "projectcontour",
        "contour",
        """
        - name: web
          port: 80
          protocol: HTTP
          allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [team-a]}]}}}
        """);
    assertEquals(
        List.of(
            "spec.rules[0] \"x.example.com PathPrefix /\" on gateway projectcontour/contour:80"),
        located(httpRoute("team-a", "r", null, "[x.example.com]", null)));
  }

  @Test
  void listenerKindsAndProtocolDecideWhetherHttpRoutesAttach() {
    catalog.k8sGateway(
        "projectcontour",
        "contour",
        """
        - {name: tls, port: 443, protocol: TLS, allowedRoutes: {namespaces: {from: All}}}
        - {name: grpc-only, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}, kinds: [{kind: GRPCRoute}]}}
        - {name: https, port: 443, protocol: HTTPS, allowedRoutes: {namespaces: {from: All}, kinds: [{group: gateway.networking.k8s.io, kind: HTTPRoute}]}}
        """);
    OwnedKeys owned = keys.of(httpRoute("default", "r", null, "[a.ofn.io]", null));
    assertEquals(
        List.of("spec.rules[0] \"a.ofn.io PathPrefix /\" on gateway projectcontour/contour:443"),
        owned.located().stream().map(l -> l.path() + " " + l.key().describe()).toList());
    assertEquals(
        List.of(
            "HTTPRoute is not allowed by listener tls of gateway projectcontour/contour",
            "HTTPRoute is not allowed by listener grpc-only of gateway projectcontour/contour"),
        owned.warnings());
  }

  @Test
  void neitherListenerNorRouteHostnameMeansAnyHost() {
    catalog.k8sGateway(
        "projectcontour",
        "contour",
        """
        - {name: any, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
        """);
    assertEquals(
        List.of("spec.rules[0] \"* PathPrefix /\" on gateway projectcontour/contour:80"),
        located(httpRoute("default", "r", null, null, null)));
  }

  @Test
  void clusterListenersWinOverTheOfnGatewaysOwn() {
    catalog.k8sGateway(
        "projectcontour",
        "contour",
        """
        - {name: ofn-http-external, hostname: "*.ofn.io", port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
        """);
    assertEquals(
        List.of("spec.rules[0] \"a.ofn.io PathPrefix /\" on gateway projectcontour/contour:8080"),
        located(httpRoute("default", "r", null, "[a.ofn.io]", null)));
  }

  @Test
  void sectionNameAndPortSelectListeners() {
    assertEquals(
        List.of(
            "spec.rules[0] \"*.cluster.local PathPrefix /\" on gateway projectcontour/contour:80"),
        located(
            httpRoute(
                "default",
                "r",
                "[{name: contour, namespace: projectcontour, sectionName: ofn-http-internal}]",
                null,
                null)));
    OwnedKeys none =
        keys.of(
            httpRoute(
                "default",
                "r",
                "[{name: contour, namespace: projectcontour, port: 443}]",
                null,
                null));
    assertEquals(List.of(), none.located());
    assertEquals(
        List.of("parentRef port 443 matches no listener of gateway projectcontour/contour"),
        none.warnings());
  }

  @Test
  void gammaServiceParentsAndForeignGatewaysAreNotPoliced() {
    OwnedKeys gamma =
        keys.of(
            httpRoute(
                "default",
                "mesh",
                "[{group: '', kind: Service, name: contour, namespace: projectcontour}]",
                "[a.ofn.io]",
                null));
    assertEquals(List.of(), gamma.located());
    assertEquals(List.of(), gamma.warnings());
    OwnedKeys foreign =
        keys.of(
            httpRoute(
                "default", "other", "[{name: nginx, namespace: ingress}]", "[podinfo.com]", null));
    assertEquals(List.of(), foreign.located());
    assertEquals(List.of(), foreign.warnings());
    OwnedKeys wrongGroup =
        keys.of(
            httpRoute(
                "default",
                "x",
                "[{group: example.com, name: contour, namespace: projectcontour}]",
                "[a.ofn.io]",
                null));
    assertEquals(List.of(), wrongGroup.located());
  }

  @Test
  void parentRefNamespaceDefaultsToTheRoutes() {
    catalog.add(
        TestCatalog.yaml(
            """
        apiVersion: networking.openfunction.io/v1alpha1
        kind: Gateway
        metadata: {name: local, namespace: team}
        spec:
          domain: team.io
          gatewayDef: {name: gw}
          gatewaySpec: {listeners: [{name: web, port: 80, protocol: HTTP}]}
        """));
    assertEquals(
        List.of("spec.rules[0] \"a.team.io PathPrefix /\" on gateway team/gw:80"),
        located(httpRoute("team", "r", "[{name: gw}]", "[a.team.io]", null)));
  }

  @Test
  void everyServedHttpRouteVersionReadsTheSame() {
    for (String version : List.of("v1", "v1beta1", "v1alpha2")) {
      var route = httpRoute("default", "r", null, "[a.ofn.io]", prefix("/x"));
      route.put("apiVersion", "gateway.networking.k8s.io/" + version);
      assertEquals(
          List.of(
              "spec.rules[0].matches[0] \"a.ofn.io PathPrefix /x\" on gateway projectcontour/contour:80"),
          located(route),
          version);
    }
  }

  @Test
  void functionsWithoutAnHttpTriggerHaveNoKeys() {
    var fn = function("default", "async", null, null);
    fn.withObject("/spec/serving").remove("triggers");
    assertEquals(List.of(), keys.of(fn).located());
  }

  @Test
  void otherKindsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> keys.of(TestCatalog.yaml("{apiVersion: v1, kind: Service}")));
  }
}
