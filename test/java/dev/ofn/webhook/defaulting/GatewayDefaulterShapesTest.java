package dev.ofn.webhook.defaulting;

import static dev.ofn.webhook.defaulting.TestTrees.assertTree;
import static dev.ofn.webhook.defaulting.TestTrees.yaml;

import dev.ofn.webhook.json.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects of the wrong shape: the offending part is left alone, the rest defaulted, nothing thrown.
 */
class GatewayDefaulterShapesTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "spec not an object",
            "{kind: Gateway, metadata: {name: g}, spec: 5}",
            "{kind: Gateway, metadata: {name: g}, spec: 5}"),
        Arguments.of(
            "no spec at all: created like Go's zero struct",
            "{kind: Gateway, metadata: {name: g}}",
            """
            kind: Gateway
            metadata:
              name: g
              annotations:
                networking.openfunction.io/last-applied-configuration: '{"clusterDomain":"cluster.local",\
            "hostTemplate":"{{.Name}}.{{.Namespace}}.{{.Domain}}","pathTemplate":"{{.Namespace}}/{{.Name}}",\
            "httpRouteLabelKey":"app.kubernetes.io/managed-by","gatewaySpec":{"listeners":[{"name":"ofn-http-internal",\
            "hostname":"*.cluster.local","port":80,"protocol":"HTTP","allowedRoutes":{"namespaces":{"from":"All"}}}]}}'
            spec:
              clusterDomain: cluster.local
              hostTemplate: "{{.Name}}.{{.Namespace}}.{{.Domain}}"
              pathTemplate: "{{.Namespace}}/{{.Name}}"
              httpRouteLabelKey: app.kubernetes.io/managed-by
              gatewaySpec:
                listeners:
                  - {name: ofn-http-internal, hostname: "*.cluster.local", port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
            """),
        Arguments.of(
            "gatewaySpec, listeners, a listener, annotations and gatewayDef.name of the wrong type",
            """
            metadata: {name: g, annotations: "x"}
            spec:
              domain: 5
              clusterDomain: c.local
              hostTemplate: h
              pathTemplate: p
              httpRouteLabelKey: k
              gatewayDef: {name: 7}
              gatewaySpec: {listeners: ["x", {name: 5, hostname: "*.old"}, {name: ofn-http-internal, allowedRoutes: 3}]}
            """,
            """
            metadata: {name: g, annotations: "x"}
            spec:
              domain: 5
              clusterDomain: c.local
              hostTemplate: h
              pathTemplate: p
              httpRouteLabelKey: k
              gatewayDef: {name: 7}
              gatewaySpec:
                listeners:
                  - "x"
                  - {name: 5, hostname: "*.old"}
                  - {name: ofn-http-internal, allowedRoutes: {namespaces: {from: All}}, hostname: "*.c.local", port: 80, protocol: HTTP}
            """),
        Arguments.of(
            "listeners not an array: no internal listener appended",
            """
            metadata: {name: g, annotations: {a: b}}
            spec: {domain: d.io, clusterDomain: c, hostTemplate: h, pathTemplate: p, httpRouteLabelKey: k, gatewaySpec: {listeners: {a: 1}}}
            """,
            """
            metadata:
              name: g
              annotations:
                a: b
                networking.openfunction.io/last-applied-configuration: '{"domain":"d.io","clusterDomain":"c",\
            "hostTemplate":"h","pathTemplate":"p","httpRouteLabelKey":"k","gatewaySpec":{"listeners":{"a":1}}}'
            spec: {domain: d.io, clusterDomain: c, hostTemplate: h, pathTemplate: p, httpRouteLabelKey: k, gatewaySpec: {listeners: {a: 1}}}
            """),
        Arguments.of(
            "null fields count as absent",
            """
            metadata: {name: g, annotations: null}
            spec: {domain: d.io, clusterDomain: null, hostTemplate: h, pathTemplate: p, httpRouteLabelKey: k, gatewayDef: {name: null}, gatewaySpec: {listeners: null}}
            """,
            """
            metadata:
              name: g
              annotations:
                networking.openfunction.io/last-applied-configuration: '{"domain":"d.io","clusterDomain":"cluster.local",\
            "hostTemplate":"h","pathTemplate":"p","httpRouteLabelKey":"k","gatewayDef":{"name":"g"},"gatewaySpec":\
            {"listeners":[{"name":"ofn-http-internal","hostname":"*.cluster.local","port":80,"protocol":"HTTP",\
            "allowedRoutes":{"namespaces":{"from":"All"}}}]}}'
            spec:
              domain: d.io
              clusterDomain: cluster.local
              hostTemplate: h
              pathTemplate: p
              httpRouteLabelKey: k
              gatewayDef: {name: g}
              gatewaySpec:
                listeners:
                  - {name: ofn-http-internal, hostname: "*.cluster.local", port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void leavesWrongTypesAlone(String name, String input, String expected) {
    ObjectNode original = yaml(input);
    ObjectNode once = GatewayDefaulter.apply(original);
    assertTree(expected, once);
    assertTree(input, original);
    assertTree(once, GatewayDefaulter.apply(once));
  }

  /** Never sent by the apiserver; defaulted as {} so that the result is still a fixed point. */
  @Test
  void nonObjectsAreDefaultedAsAnEmptyObject() {
    ObjectNode empty = GatewayDefaulter.apply(yaml("{}"));
    for (String input : new String[] {"null", "[1]", "\"x\"", "5"}) {
      assertTree(empty, GatewayDefaulter.apply(Json.MAPPER.readTree(input)));
    }
    assertTree(empty, GatewayDefaulter.apply(null));
    assertTree(empty, GatewayDefaulter.apply(empty));
  }
}
