package dev.ofn.webhook.defaulting;

import static dev.ofn.webhook.defaulting.TestTrees.assertTree;
import static dev.ofn.webhook.defaulting.TestTrees.defaultGateway;
import static dev.ofn.webhook.defaulting.TestTrees.defaultGatewayWith;
import static dev.ofn.webhook.defaulting.TestTrees.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/behaviour.md §4 steps 4–8 on CREATE: the route completed from the OFN Gateway, whole objects
 * compared.
 */
class FunctionRouteCreateTest {
  static final FunctionContext CREATE = FunctionContext.create("default", defaultGateway());
  static final String NOT_FOUND =
      "gateway openfunction/openfunction not found: route hostnames and rules not generated";

  static final String SAMPLE_DEFAULTED =
      """
      apiVersion: core.openfunction.io/v1beta2
      kind: Function
      metadata:
        name: function-sample-serving-only
        namespace: default
        annotations: {networking.openfunction.io/generated-route: "hostnames,rules"}
      spec:
        image: openfunctiondev/v1beta1-http:latest
        serving:
          template:
            containers:
              - {imagePullPolicy: Always, name: function, resources: {}}
          triggers:
            http:
              port: 8080
              route:
                gatewayRef: {name: openfunction, namespace: openfunction}
                hostnames: [function-sample-serving-only.default.ofn.io]
                rules: [{matches: [{path: {type: PathPrefix, value: /}}]}]
        version: v1.0.0
        workloadRuntime: OCIContainer
      """;

  /** Parity defaults, generated hostnames; the user's rules are kept and so path stays theirs. */
  static final String WASMEDGE_DEFAULTED =
      """
      apiVersion: core.openfunction.io/v1beta2
      kind: Function
      metadata:
        name: wasmedge-http-server
        namespace: default
        annotations: {module.wasm.image/variant: compat-smart, networking.openfunction.io/generated-route: hostnames}
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
                hostnames: [wasmedge-http-server.default.ofn.io]
          annotations: {module.wasm.image/variant: compat-smart}
        version: latest
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        fixture("function-sample-serving-only.yaml", CREATE, SAMPLE_DEFAULTED, List.of()),
        fixture("function-kedahttp-sample-serving.yaml", CREATE, null, List.of()),
        fixture("wasmedge-http-server.yaml", CREATE, WASMEDGE_DEFAULTED, List.of()),
        fixture(
            "function-sample-serving-only.yaml",
            new FunctionContext("default", null, Optional.empty(), true),
            null,
            List.of(NOT_FOUND)),
        inline(
            "user hostnames, no rules: one rule from pathTemplate",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 8080, route: {hostnames: [a.example.com]}}}}}}",
            CREATE,
            """
            metadata: {name: f, annotations: {networking.openfunction.io/generated-route: rules}}
            spec:
              version: v
              serving:
                triggers:
                  http:
                    port: 8080
                    route:
                      hostnames: [a.example.com]
                      gatewayRef: {name: openfunction, namespace: openfunction}
                      rules: [{matches: [{path: {type: PathPrefix, value: /default/f}}]}]
            """,
            List.of()),
        inline(
            "empty lists count as absent; namespace from the context; unknown route fields kept in order",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: "
                + "{x-a: 1, rules: [], gatewayRef: {name: openfunction, namespace: openfunction}, hostnames: [], x-b: 2}}}}}}",
            FunctionContext.create("team-a", defaultGateway()),
            """
            metadata: {name: f, annotations: {networking.openfunction.io/generated-route: "hostnames,rules"}}
            spec:
              version: v
              serving:
                triggers:
                  http:
                    port: 1
                    route:
                      x-a: 1
                      rules: [{matches: [{path: {type: PathPrefix, value: /}}]}]
                      gatewayRef: {name: openfunction, namespace: openfunction}
                      hostnames: [f.team-a.ofn.io]
                      x-b: 2
            """,
            List.of()),
        inline(
            "custom templates; a rendered path with its own leading slash gets no second one",
            "{metadata: {name: f, namespace: ns}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {hostnames: [h.io]}}}}}}",
            new FunctionContext(
                null, null, Optional.of(defaultGatewayWith("pathTemplate", "/fn/{{.Name}}")), true),
            """
            metadata: {name: f, namespace: ns, annotations: {networking.openfunction.io/generated-route: rules}}
            spec:
              version: v
              serving:
                triggers:
                  http:
                    port: 1
                    route:
                      hostnames: [h.io]
                      gatewayRef: {name: openfunction, namespace: openfunction}
                      rules: [{matches: [{path: {type: PathPrefix, value: /fn/f}}]}]
            """,
            List.of()),
        inline(
            "unusable hostTemplate: hostnames skipped with a warning, rules from pathTemplate",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1}}}}}",
            FunctionContext.create(
                "default", defaultGatewayWith("hostTemplate", "{{.Name}}.{{.Cluster}}")),
            """
            metadata: {name: f, annotations: {networking.openfunction.io/generated-route: rules}}
            spec:
              version: v
              serving:
                triggers:
                  http:
                    port: 1
                    route:
                      gatewayRef: {name: openfunction, namespace: openfunction}
                      rules: [{matches: [{path: {type: PathPrefix, value: /default/f}}]}]
            """,
            List.of(
                "gateway openfunction/openfunction has an unusable hostTemplate: route hostnames not generated")),
        inline(
            "unparsable pathTemplate with user hostnames: nothing generated, no annotation",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {hostnames: [h.io]}}}}}}",
            FunctionContext.create("default", defaultGatewayWith("pathTemplate", "{{.Name")),
            """
            metadata: {name: f}
            spec: {version: v, serving: {triggers: {http: {port: 1, route: {hostnames: [h.io], gatewayRef: {name: openfunction, namespace: openfunction}}}}}}
            """,
            List.of(
                "gateway openfunction/openfunction has an unusable pathTemplate: route rules not generated")),
        inline(
            "user hostnames and rules: an unusable template is not needed, so no warning",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {hostnames: [h.io], rules: [{}]}}}}}}",
            FunctionContext.create("default", defaultGatewayWith("pathTemplate", "{{.Name")),
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: "
                + "{hostnames: [h.io], rules: [{}], gatewayRef: {name: openfunction, namespace: openfunction}}}}}}}",
            List.of()),
        inline(
            "a CREATE whose annotation lists a field holding another value: that field is the user's",
            "{metadata: {name: f, annotations: {networking.openfunction.io/generated-route: 'hostnames, rules', a: b}}, "
                + "spec: {version: v, serving: {triggers: {http: {port: 1, route: {hostnames: [mine.io]}}}}}}",
            CREATE,
            """
            metadata: {name: f, annotations: {networking.openfunction.io/generated-route: rules, a: b}}
            spec:
              version: v
              serving:
                triggers:
                  http:
                    port: 1
                    route:
                      hostnames: [mine.io]
                      gatewayRef: {name: openfunction, namespace: openfunction}
                      rules: [{matches: [{path: {type: PathPrefix, value: /default/f}}]}]
            """,
            List.of()),
        inline(
            "user hostnames and rules: a stale annotation is removed, with the map it was alone in",
            "{metadata: {name: f, annotations: {networking.openfunction.io/generated-route: hostnames}}, "
                + "spec: {version: v, serving: {triggers: {http: {port: 1, route: {hostnames: [h.io], rules: [{}]}}}}}}",
            CREATE,
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: "
                + "{hostnames: [h.io], rules: [{}], gatewayRef: {name: openfunction, namespace: openfunction}}}}}}}",
            List.of()),
        inline(
            "dapr triggers only: no route, no warning",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {dapr: [{name: k}]}}}}",
            CREATE,
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {dapr: [{name: k}]}}}}",
            List.of()),
        inline(
            "no serving: no route",
            "{metadata: {name: f}, spec: {version: v, build: {}}}",
            CREATE,
            "{metadata: {name: f}, spec: {version: v, build: {}}}",
            List.of()),
        inline(
            "gatewayRef without namespace: not generated (validation denies it)",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {gatewayRef: {name: g}}}}}}}",
            CREATE,
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {gatewayRef: {name: g}}}}}}}",
            List.of(
                "route gatewayRef lacks a name or namespace: route hostnames and rules not generated")),
        inline(
            "no name yet (generateName): not generated",
            "{metadata: {generateName: f-}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {gatewayRef: {name: g, namespace: n}}}}}}}",
            CREATE,
            "{metadata: {generateName: f-}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {gatewayRef: {name: g, namespace: n}}}}}}}",
            List.of("the Function has no name yet: route hostnames and rules not generated")),
        inline(
            "annotations not a map: nothing recorded, so nothing generated",
            "{metadata: {name: f, annotations: [x]}, spec: {version: v, serving: {triggers: {http: {port: 1}}}}}",
            CREATE,
            "{metadata: {name: f, annotations: [x]}, spec: {version: v, serving: {triggers: {http: {port: 1, route: "
                + "{gatewayRef: {name: openfunction, namespace: openfunction}}}}}}}",
            List.of("metadata.annotations is not a map: route hostnames and rules not generated")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void completesTheRoute(
      String name,
      Supplier<ObjectNode> input,
      FunctionContext context,
      String expected,
      List<String> warnings) {
    ObjectNode original = input.get();
    DefaultingResult once = FunctionDefaulter.apply(original, context);
    assertTree(expected == null ? input.get() : yaml(expected), once.object());
    assertEquals(warnings, once.warnings());
    assertTree(input.get(), original);
    // Second pass (e.g. reinvocation): the annotation is now on the object; nothing changes.
    DefaultingResult twice = FunctionDefaulter.apply(once.object(), context);
    assertTree(once.object(), twice.object());
    assertEquals(warnings, twice.warnings());
  }

  private static Arguments fixture(
      String file, FunctionContext context, String expected, List<String> warnings) {
    return Arguments.of(
        file + (context.gateway().isPresent() ? "" : " (gateway not found)"),
        (Supplier<ObjectNode>) () -> Fixtures.load(file, "default"),
        context,
        expected,
        warnings);
  }

  private static Arguments inline(
      String name, String input, FunctionContext context, String expected, List<String> warnings) {
    return Arguments.of(
        name, (Supplier<ObjectNode>) () -> yaml(input), context, expected, warnings);
  }
}
