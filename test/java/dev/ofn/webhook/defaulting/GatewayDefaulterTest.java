package dev.ofn.webhook.defaulting;

import static dev.ofn.webhook.defaulting.TestTrees.assertTree;
import static dev.ofn.webhook.defaulting.TestTrees.yaml;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.json.Json;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/behaviour.md §2 over the default-gateway fixture and small variations; whole objects
 * compared.
 */
class GatewayDefaulterTest {

  /**
   * The fixture after defaulting: unchanged but for the last-applied annotation (spec after
   * defaulting).
   */
  static final String DEFAULT_GATEWAY_DEFAULTED =
      """
      apiVersion: networking.openfunction.io/v1alpha1
      kind: Gateway
      metadata:
        name: openfunction
        namespace: openfunction
        annotations:
          networking.openfunction.io/last-applied-configuration: '{"domain":"ofn.io","clusterDomain":"cluster.local",\
      "hostTemplate":"{{.Name}}.{{.Namespace}}.{{.Domain}}","pathTemplate":"{{.Namespace}}/{{.Name}}",\
      "httpRouteLabelKey":"app.kubernetes.io/managed-by","gatewayRef":{"name":"contour","namespace":"projectcontour"},\
      "gatewaySpec":{"listeners":[{"name":"ofn-http-internal","hostname":"*.cluster.local","protocol":"HTTP","port":80,\
      "allowedRoutes":{"namespaces":{"from":"All"}}},{"name":"ofn-http-external","hostname":"*.ofn.io","protocol":"HTTP",\
      "port":80,"allowedRoutes":{"namespaces":{"from":"All"}}}]}}'
      spec:
        domain: ofn.io
        clusterDomain: cluster.local
        hostTemplate: "{{.Name}}.{{.Namespace}}.{{.Domain}}"
        pathTemplate: "{{.Namespace}}/{{.Name}}"
        httpRouteLabelKey: "app.kubernetes.io/managed-by"
        gatewayRef: {name: contour, namespace: projectcontour}
        gatewaySpec:
          listeners:
            - {name: ofn-http-internal, hostname: "*.cluster.local", protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
            - {name: ofn-http-external, hostname: "*.ofn.io", protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "default gateway fixture",
            (Supplier<ObjectNode>) () -> Fixtures.load("default-gateway.yaml"),
            DEFAULT_GATEWAY_DEFAULTED),
        Arguments.of(
            "changed listener hostnames and internal fields are forced back",
            (Supplier<ObjectNode>) GatewayDefaulterTest::fixtureWithChangedListeners,
            DEFAULT_GATEWAY_DEFAULTED),
        Arguments.of(
            "missing internal listener is appended at the end",
            (Supplier<ObjectNode>) GatewayDefaulterTest::fixtureWithoutInternalListener,
            """
            apiVersion: networking.openfunction.io/v1alpha1
            kind: Gateway
            metadata:
              name: openfunction
              namespace: openfunction
              annotations:
                networking.openfunction.io/last-applied-configuration: '{"domain":"ofn.io","clusterDomain":"cluster.local",\
            "hostTemplate":"{{.Name}}.{{.Namespace}}.{{.Domain}}","pathTemplate":"{{.Namespace}}/{{.Name}}",\
            "httpRouteLabelKey":"app.kubernetes.io/managed-by","gatewayRef":{"name":"contour","namespace":"projectcontour"},\
            "gatewaySpec":{"listeners":[{"name":"ofn-http-external","hostname":"*.ofn.io","protocol":"HTTP","port":80,\
            "allowedRoutes":{"namespaces":{"from":"All"}}},{"name":"ofn-http-internal","hostname":"*.cluster.local",\
            "port":80,"protocol":"HTTP","allowedRoutes":{"namespaces":{"from":"All"}}}]}}'
            spec:
              domain: ofn.io
              clusterDomain: cluster.local
              hostTemplate: "{{.Name}}.{{.Namespace}}.{{.Domain}}"
              pathTemplate: "{{.Namespace}}/{{.Name}}"
              httpRouteLabelKey: "app.kubernetes.io/managed-by"
              gatewayRef: {name: contour, namespace: projectcontour}
              gatewaySpec:
                listeners:
                  - {name: ofn-http-external, hostname: "*.ofn.io", protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
                  - {name: ofn-http-internal, hostname: "*.cluster.local", port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
            """),
        Arguments.of(
            "gatewayDef without name, CRD defaults appended, unknown fields kept in order",
            (Supplier<ObjectNode>)
                () ->
                    yaml(
                        """
            apiVersion: networking.openfunction.io/v1alpha1
            kind: Gateway
            metadata: {name: edge, namespace: team-a, labels: {team: a}}
            zz-top: {keep: me}
            spec:
              domain: example.com
              x-vendor: 1
              gatewayDef: {namespace: team-a, gatewayClassName: contour}
              gatewaySpec:
                listeners:
                  - {name: web, port: 8080, protocol: HTTP, tls: {mode: Terminate}}
            """),
            """
            apiVersion: networking.openfunction.io/v1alpha1
            kind: Gateway
            metadata:
              name: edge
              namespace: team-a
              labels: {team: a}
              annotations:
                networking.openfunction.io/last-applied-configuration: '{"domain":"example.com","x-vendor":1,\
            "gatewayDef":{"namespace":"team-a","gatewayClassName":"contour","name":"edge"},"gatewaySpec":{"listeners":\
            [{"name":"web","port":8080,"protocol":"HTTP","tls":{"mode":"Terminate"},"hostname":"*.example.com"},\
            {"name":"ofn-http-internal","hostname":"*.cluster.local","port":80,"protocol":"HTTP","allowedRoutes":\
            {"namespaces":{"from":"All"}}}]},"clusterDomain":"cluster.local","hostTemplate":"{{.Name}}.{{.Namespace}}.{{.Domain}}",\
            "pathTemplate":"{{.Namespace}}/{{.Name}}","httpRouteLabelKey":"app.kubernetes.io/managed-by"}'
            zz-top: {keep: me}
            spec:
              domain: example.com
              x-vendor: 1
              gatewayDef: {namespace: team-a, gatewayClassName: contour, name: edge}
              gatewaySpec:
                listeners:
                  - {name: web, port: 8080, protocol: HTTP, tls: {mode: Terminate}, hostname: "*.example.com"}
                  - {name: ofn-http-internal, hostname: "*.cluster.local", port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
              clusterDomain: cluster.local
              hostTemplate: "{{.Name}}.{{.Namespace}}.{{.Domain}}"
              pathTemplate: "{{.Namespace}}/{{.Name}}"
              httpRouteLabelKey: app.kubernetes.io/managed-by
            """),
        Arguments.of(
            "an existing last-applied annotation is kept; custom clusterDomain; explicit gatewayDef name kept",
            (Supplier<ObjectNode>)
                () ->
                    yaml(
                        """
            apiVersion: networking.openfunction.io/v1alpha1
            kind: Gateway
            metadata:
              name: edge
              annotations: {networking.openfunction.io/last-applied-configuration: '{}', other: x}
            spec:
              domain: example.com
              clusterDomain: corp.local
              hostTemplate: "{{.Name}}.{{.Domain}}"
              pathTemplate: "{{.Name}}"
              httpRouteLabelKey: owner
              gatewayDef: {name: shared}
              gatewaySpec:
                listeners:
                  - {name: ofn-http-internal, hostname: "*.cluster.local", port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
                  - {name: web, hostname: "*.example.com", port: 80, protocol: HTTP}
            """),
            """
            apiVersion: networking.openfunction.io/v1alpha1
            kind: Gateway
            metadata:
              name: edge
              annotations: {networking.openfunction.io/last-applied-configuration: '{}', other: x}
            spec:
              domain: example.com
              clusterDomain: corp.local
              hostTemplate: "{{.Name}}.{{.Domain}}"
              pathTemplate: "{{.Name}}"
              httpRouteLabelKey: owner
              gatewayDef: {name: shared}
              gatewaySpec:
                listeners:
                  - {name: ofn-http-internal, hostname: "*.corp.local", port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
                  - {name: web, hostname: "*.example.com", port: 80, protocol: HTTP}
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void defaults(String name, Supplier<ObjectNode> input, String expected) {
    ObjectNode original = input.get();
    ObjectNode once = GatewayDefaulter.apply(original);
    assertTree(expected, once);
    assertTree(input.get(), original); // the input is never modified
    assertTree(once, GatewayDefaulter.apply(once)); // idempotent
  }

  private static ObjectNode fixtureWithChangedListeners() {
    ObjectNode gateway = Fixtures.load("default-gateway.yaml");
    ArrayNode listeners = (ArrayNode) Json.at(gateway, "spec", "gatewaySpec", "listeners");
    ObjectNode internal = (ObjectNode) listeners.get(0);
    internal.put("hostname", "*.example.local").put("port", 8080).put("protocol", "HTTPS");
    internal.set("allowedRoutes", yaml("{namespaces: {from: Same}, kinds: [{kind: HTTPRoute}]}"));
    ((ObjectNode) listeners.get(1)).put("hostname", "*.example.com");
    return gateway;
  }

  private static ObjectNode fixtureWithoutInternalListener() {
    ObjectNode gateway = Fixtures.load("default-gateway.yaml");
    ((ArrayNode) Json.at(gateway, "spec", "gatewaySpec", "listeners")).remove(0);
    return gateway;
  }
}
