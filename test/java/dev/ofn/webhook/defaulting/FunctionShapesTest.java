package dev.ofn.webhook.defaulting;

import static dev.ofn.webhook.defaulting.TestTrees.assertTree;
import static dev.ofn.webhook.defaulting.TestTrees.defaultGateway;
import static dev.ofn.webhook.defaulting.TestTrees.yaml;
import static dev.ofn.webhook.defaulting.TestTrees.yamlNode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.model.FunctionRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Functions of the wrong shape: the offending part is left for validation, nothing is thrown. */
class FunctionShapesTest {
  static final FunctionContext CREATE = FunctionContext.create("default", defaultGateway());

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "hostnames a string: the user's, left alone; rules from pathTemplate",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {hostnames: x}}}}}}",
            """
            metadata: {name: f, annotations: {networking.openfunction.io/generated-route: rules}}
            spec:
              version: v
              serving:
                triggers:
                  http:
                    port: 1
                    route:
                      hostnames: x
                      gatewayRef: {name: openfunction, namespace: openfunction}
                      rules: [{matches: [{path: {type: PathPrefix, value: /default/f}}]}]
            """),
        Arguments.of(
            "port a string: left alone; the route is still completed",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: abc}}}}}",
            """
            metadata: {name: f, annotations: {networking.openfunction.io/generated-route: 'hostnames,rules'}}
            spec:
              version: v
              serving:
                triggers:
                  http:
                    port: abc
                    route:
                      gatewayRef: {name: openfunction, namespace: openfunction}
                      hostnames: [f.default.ofn.io]
                      rules: [{matches: [{path: {type: PathPrefix, value: /}}]}]
            """),
        Arguments.of(
            "serving a number: only the version",
            "{metadata: {name: f}, spec: {serving: 5}}",
            "{metadata: {name: f}, spec: {serving: 5, version: latest}}"),
        Arguments.of(
            "spec a number: untouched",
            "{metadata: {name: f}, spec: 5}",
            "{metadata: {name: f}, spec: 5}"),
        Arguments.of(
            "triggers, http and route of the wrong type stop the steps that need them",
            "{spec: {version: v, serving: {triggers: {http: {port: 1, route: 5}}}, build: 5, workloadRuntime: WASMEDGE}}",
            """
            spec:
              version: v
              serving:
                triggers: {http: {port: 1, route: 5}}
                annotations: {module.wasm.image/variant: compat-smart}
              build: 5
              workloadRuntime: WASMEDGE
            metadata: {annotations: {module.wasm.image/variant: compat-smart}}
            """),
        Arguments.of(
            "a non-list dapr may hold triggers: no http trigger is added",
            "{spec: {version: v, serving: {triggers: {dapr: x}}}}",
            "{spec: {version: v, serving: {triggers: {dapr: x}}}}"),
        Arguments.of(
            "gatewayRef a string: kept; no gateway to render from",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {gatewayRef: x}}}}}}",
            "{metadata: {name: f}, spec: {version: v, serving: {triggers: {http: {port: 1, route: {gatewayRef: x}}}}}}"),
        Arguments.of(
            "shipwright, serving annotations and template of the wrong type are kept",
            "{metadata: {annotations: {module.wasm.image/variant: v}}, spec: {version: v, build: {shipwright: 5}, "
                + "serving: {annotations: 5, template: 5, triggers: {dapr: [{}]}}}}",
            "{metadata: {annotations: {module.wasm.image/variant: v}}, spec: {version: v, build: {shipwright: 5}, "
                + "serving: {annotations: 5, template: 5, triggers: {dapr: [{}]}}}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void leavesWrongTypesAlone(String name, String input, String expected) {
    DefaultingResult once = FunctionDefaulter.apply(yaml(input), CREATE);
    assertTree(expected, once.object());
    assertTree(once.object(), FunctionDefaulter.apply(once.object(), CREATE).object());
  }

  /**
   * Every shape, on CREATE and as both sides of an UPDATE: no exception, idempotent, input
   * untouched.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "null",
        "[]",
        "x",
        "5",
        "{}",
        "{spec: null}",
        "{metadata: 5, spec: {serving: {}}}",
        "{metadata: null, spec: {serving: {}}}",
        "{metadata: {name: f, annotations: 5}, spec: {workloadRuntime: wasmedge, serving: {}}}",
        "{metadata: {name: 5}, spec: {serving: {}}}",
        "{spec: {serving: {triggers: []}}}",
        "{spec: {serving: {triggers: {http: x}}}}",
        "{spec: {serving: {triggers: {http: {route: [1]}}}}}",
        "{spec: {serving: {triggers: {http: {route: {gatewayRef: {name: 5, namespace: []}}}}}}}",
        "{spec: {version: 5, workloadRuntime: 5, build: {shipwright: {strategy: 5}}}}",
        "{metadata: {name: f, annotations: {networking.openfunction.io/generated-route: 5}}, "
            + "spec: {serving: {triggers: {http: {route: {rules: {a: 1}, hostnames: [5, null]}}}}}}",
        "{metadata: {name: f, annotations: {networking.openfunction.io/generated-route: ',,rules,x'}}, "
            + "spec: {serving: {triggers: {http: {route: {rules: null, hostnames: null}}}}}}"
      })
  void neverThrows(String input) {
    List<JsonNode> olds =
        List.of(
            yamlNode("5"),
            yamlNode("{spec: {serving: {triggers: {http: {route: 7}}}}}"),
            yamlNode("{metadata: {annotations: [1]}}"),
            yamlNode(input));
    List<FunctionContext> contexts =
        new ArrayList<>(
            List.of(
                CREATE,
                new FunctionContext(null, null, null, true),
                new FunctionContext("", null, Optional.empty(), true)));
    olds.forEach(old -> contexts.add(FunctionContext.update("default", old, defaultGateway())));
    for (FunctionContext context : contexts) {
      JsonNode received = yamlNode(input);
      DefaultingResult once = FunctionDefaulter.apply(received, context);
      assertTree(yamlNode(input), received);
      assertTree(once.object(), FunctionDefaulter.apply(once.object(), context).object());
      assertEquals(FunctionRoute.gatewayRef(received), FunctionRoute.gatewayRef(once.object()));
      once.warnings().forEach(w -> assertEquals(true, w.length() <= 120, w));
    }
  }
}
