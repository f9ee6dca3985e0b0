package dev.ofn.webhook.defaulting;

import static dev.ofn.webhook.defaulting.TestTrees.assertTree;
import static dev.ofn.webhook.defaulting.TestTrees.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.model.FunctionRoute;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/behaviour.md §4 steps 1–3 alone ({@code persistGeneratedRoute=false}): OpenFunction's own
 * defaults.
 */
class FunctionParityTest {
  static final FunctionContext PARITY_ONLY =
      new FunctionContext("default", null, Optional.of(TestTrees.defaultGateway()), false);

  static final String WASMEDGE_PARITY =
      """
      apiVersion: core.openfunction.io/v1beta2
      kind: Function
      metadata:
        name: wasmedge-http-server
        namespace: default
        annotations: {module.wasm.image/variant: compat-smart}
      spec:
        workloadRuntime: wasmedge
        image: openfunctiondev/wasmedge_http_server:0.1.0
        imageCredentials: {name: push-secret}
        build:
          dockerfile: Dockerfile
          srcRepo: {revision: main, sourceSubPath: functions/knative/wasmedge/http-server, url: "https://github.com/OpenFunction/samples"}
          shipwright: {strategy: {name: wasmedge, kind: ClusterBuildStrategy}}
        serving:
          scaleOptions: {minReplicas: 0}
          template:
            containers:
              - command: [/wasmedge_hyper_server.wasm]
                imagePullPolicy: IfNotPresent
                livenessProbe: {initialDelaySeconds: 3, periodSeconds: 30, tcpSocket: {port: 8080}}
                name: function
            runtimeClassName: openfunction-crun
          triggers:
            http:
              port: 8080
              route:
                rules: [{matches: [{path: {type: PathPrefix, value: /echo}}]}]
                gatewayRef: {name: openfunction, namespace: openfunction}
          annotations: {module.wasm.image/variant: compat-smart}
        version: latest
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        // The two complete samples need nothing: output == input.
        fixture("function-sample-serving-only.yaml", null),
        fixture("function-kedahttp-sample-serving.yaml", null),
        fixture("wasmedge-http-server.yaml", WASMEDGE_PARITY),
        inline(
            "serving without triggers gets the http trigger, port and default route",
            "{metadata: {name: f}, spec: {image: i, version: v1, serving: {template: {}}}}",
            """
            metadata: {name: f}
            spec:
              image: i
              version: v1
              serving:
                template: {}
                triggers: {http: {port: 8080, route: {gatewayRef: {name: openfunction, namespace: openfunction}}}}
            """),
        inline(
            "dapr triggers only: no http trigger, no route; empty version becomes latest",
            "{metadata: {name: f}, spec: {version: '', serving: {triggers: {dapr: [{name: kafka}]}}}}",
            "{metadata: {name: f}, spec: {version: latest, serving: {triggers: {dapr: [{name: kafka}]}}}}"),
        inline(
            "dapr and http: port 0 stays 0 (Go's asymmetry), the route is defaulted",
            "{metadata: {name: f}, spec: {version: null, serving: {triggers: {dapr: [{name: k}], http: {port: 0}}}}}",
            """
            metadata: {name: f}
            spec:
              version: latest
              serving: {triggers: {dapr: [{name: k}], http: {port: 0, route: {gatewayRef: {name: openfunction, namespace: openfunction}}}}}
            """),
        inline(
            "dapr and http without port: 8080",
            "{spec: {version: v, serving: {triggers: {dapr: [{name: k}], http: {route: {gatewayRef: {name: g, namespace: n}}}}}}}",
            "{spec: {version: v, serving: {triggers: {dapr: [{name: k}], http: {route: {gatewayRef: {name: g, namespace: n}}, port: 8080}}}}}"),
        inline(
            "no dapr (empty list): port 0 becomes 8080, a route without gatewayRef gets the default one",
            "{spec: {version: v, serving: {triggers: {dapr: [], http: {port: 0, route: {hostnames: [a.io]}}}}}}",
            """
            spec:
              version: v
              serving:
                triggers:
                  dapr: []
                  http: {port: 8080, route: {hostnames: [a.io], gatewayRef: {name: openfunction, namespace: openfunction}}}
            """),
        inline(
            "WasmEdge in any case; shipwright without strategy; serving without template; no annotations yet",
            "{metadata: {name: f}, spec: {version: v, workloadRuntime: WasmEdge, build: {shipwright: {timeout: 1m}}, "
                + "serving: {annotations: {a: b}, triggers: {http: {port: 80, route: {gatewayRef: {name: g, namespace: n}}}}}}}",
            """
            metadata: {name: f, annotations: {module.wasm.image/variant: compat-smart}}
            spec:
              version: v
              workloadRuntime: WasmEdge
              build: {shipwright: {timeout: 1m, strategy: {name: wasmedge, kind: ClusterBuildStrategy}}}
              serving:
                annotations: {a: b, module.wasm.image/variant: compat-smart}
                triggers: {http: {port: 80, route: {gatewayRef: {name: g, namespace: n}}}}
            """),
        inline(
            "variant annotation present on an OCI function: its value and existing choices are kept",
            "{metadata: {annotations: {module.wasm.image/variant: compat}}, spec: {version: v, build: {shipwright: {strategy: {name: s}}}, "
                + "serving: {annotations: {module.wasm.image/variant: x}, template: {runtimeClassName: r}, triggers: {dapr: [{}]}}}}",
            "{metadata: {annotations: {module.wasm.image/variant: compat}}, spec: {version: v, build: {shipwright: {strategy: {name: s}}}, "
                + "serving: {annotations: {module.wasm.image/variant: x}, template: {runtimeClassName: r}, triggers: {dapr: [{}]}}}}"),
        inline(
            "no serving and no build: only the version",
            "{metadata: {name: f}, spec: {image: i, workloadRuntime: OCIContainer}}",
            "{metadata: {name: f}, spec: {image: i, workloadRuntime: OCIContainer, version: latest}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parityDefaults(String name, Supplier<ObjectNode> input, String expected) {
    ObjectNode original = input.get();
    DefaultingResult once = FunctionDefaulter.apply(original, PARITY_ONLY);
    assertTree(expected == null ? input.get() : yaml(expected), once.object());
    assertEquals(List.of(), once.warnings());
    assertTree(input.get(), original);
    assertTree(once.object(), FunctionDefaulter.apply(once.object(), PARITY_ONLY).object());
  }

  static Stream<Arguments> refs() {
    return Stream.of(
        Arguments.of(
            "function-sample-serving-only.yaml",
            Optional.of(new NamespacedName("openfunction", "openfunction"))),
        Arguments.of(
            "function-kedahttp-sample-serving.yaml",
            Optional.of(new NamespacedName("openfunction", "openfunction"))),
        Arguments.of(
            "wasmedge-http-server.yaml",
            Optional.of(new NamespacedName("openfunction", "openfunction"))),
        Arguments.of(
            "{spec: {serving: {triggers: {http: {route: {gatewayRef: {name: gw, namespace: team}}}}}}}",
            Optional.of(new NamespacedName("team", "gw"))),
        Arguments.of(
            "{spec: {serving: {}}}",
            Optional.of(new NamespacedName("openfunction", "openfunction"))),
        Arguments.of("{spec: {image: i}}", Optional.empty()),
        Arguments.of("{spec: {serving: {triggers: {dapr: [{name: k}]}}}}", Optional.empty()),
        Arguments.of("{spec: {serving: 5}}", Optional.empty()),
        Arguments.of(
            "{spec: {serving: {triggers: {http: {route: {gatewayRef: {name: gw}}}}}}}",
            Optional.empty()),
        Arguments.of("{spec: {serving: {triggers: {http: {route: 5}}}}}", Optional.empty()),
        Arguments.of(
            "{spec: {serving: {triggers: {dapr: [{name: k}], http: {port: 8080}}}}}",
            Optional.of(new NamespacedName("openfunction", "openfunction"))),
        Arguments.of(
            "{spec: {serving: {triggers: {dapr: []}}}}",
            Optional.of(new NamespacedName("openfunction", "openfunction"))),
        Arguments.of("{spec: {serving: {triggers: 5}}}", Optional.empty()),
        Arguments.of("{spec: {serving: {triggers: {http: 5}}}}", Optional.empty()),
        Arguments.of("{spec: {serving: null}}", Optional.empty()),
        Arguments.of("{spec: 5}", Optional.empty()),
        Arguments.of(
            "{metadata: {annotations: {module.wasm.image/variant: compat-smart}}, spec: {workloadRuntime: wasmedge, serving: {}}}",
            Optional.of(new NamespacedName("openfunction", "openfunction"))),
        Arguments.of("[]", Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refs")
  void gatewayRef(String input, Optional<NamespacedName> expected) {
    var tree =
        input.endsWith(".yaml") ? Fixtures.load(input, "default") : TestTrees.yamlNode(input);
    String before = tree.toString();
    assertEquals(expected, FunctionRoute.gatewayRef(tree));
    assertEquals(before, tree.toString());
  }

  private static Arguments fixture(String file, String expected) {
    return Arguments.of(
        file, (Supplier<ObjectNode>) () -> Fixtures.load(file, "default"), expected);
  }

  private static Arguments inline(String name, String input, String expected) {
    return Arguments.of(name, (Supplier<ObjectNode>) () -> yaml(input), expected);
  }
}
