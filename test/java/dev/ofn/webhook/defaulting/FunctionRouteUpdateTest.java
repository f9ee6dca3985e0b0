package dev.ofn.webhook.defaulting;

import static dev.ofn.webhook.defaulting.TestTrees.assertTree;
import static dev.ofn.webhook.defaulting.TestTrees.defaultGateway;
import static dev.ofn.webhook.defaulting.TestTrees.defaultGatewayWith;
import static dev.ofn.webhook.defaulting.TestTrees.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.OfnGateway;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/behaviour.md §4.6 on UPDATE: which route fields stay generated, as clients of each kind send
 * them back.
 */
class FunctionRouteUpdateTest {
  static final String HOSTS_WARNING =
      "route hostnames re-rendered from gateway openfunction/openfunction";
  static final String RULES_WARNING =
      "route rules re-rendered from gateway openfunction/openfunction";
  static final String HOST_TEMPLATE_WARNING =
      "gateway openfunction/openfunction has an unusable hostTemplate: route hostnames not generated";
  static final String ROOT_RULE = "[{matches: [{path: {type: PathPrefix, value: /}}]}]";
  static final String PATH_RULE = "[{matches: [{path: {type: PathPrefix, value: /default/f}}]}]";

  /**
   * A small Function: {@code annotation} null = none; route fields given as flow YAML or null =
   * absent.
   */
  static String fn(String annotation, String hostnames, String rules) {
    return """
        metadata: {name: f, namespace: default%s}
        spec:
          version: v
          serving:
            triggers:
              http:
                port: 8080
                route:
                  gatewayRef: {name: openfunction, namespace: openfunction}%s%s
        """
        .formatted(
            annotation == null
                ? ""
                : ", annotations: {networking.openfunction.io/generated-route: '"
                    + annotation
                    + "'}",
            hostnames == null ? "" : "\n          hostnames: " + hostnames,
            rules == null ? "" : "\n          rules: " + rules);
  }

  static final String GENERATED = fn("hostnames,rules", "[f.default.ofn.io]", ROOT_RULE);

  static Stream<Arguments> cases() {
    return Stream.of(
        update(
            "unchanged manifest re-applied: nothing changes",
            GENERATED,
            GENERATED,
            defaultGateway(),
            GENERATED),
        update(
            "client-side apply sends the stored values back with another change: kept",
            GENERATED,
            GENERATED.replace("version: v", "version: v2"),
            defaultGateway(),
            GENERATED.replace("version: v", "version: v2")),
        update(
            "user edits generated hostnames: they leave the list; listed rules re-render for a user host",
            GENERATED,
            fn("hostnames,rules", "[mine.io]", ROOT_RULE),
            defaultGateway(),
            fn("rules", "[mine.io]", PATH_RULE),
            RULES_WARNING),
        update(
            "user sets a listed field to exactly the fresh rendering: stays listed",
            fn("hostnames,rules", "[f.default.old.io]", ROOT_RULE),
            GENERATED,
            defaultGateway(),
            GENERATED,
            HOSTS_WARNING),
        update(
            "gateway domain change (the controller's touch): listed hostnames follow, with a warning",
            GENERATED,
            GENERATED,
            defaultGatewayWith("domain", "example.com"),
            fn("hostnames,rules", "[f.default.example.com]", ROOT_RULE),
            HOSTS_WARNING),
        update(
            "gateway pathTemplate change: listed rules follow, user hostnames stay",
            fn("rules", "[h.io]", PATH_RULE),
            fn("rules", "[h.io]", PATH_RULE),
            defaultGatewayWith("pathTemplate", "{{.Name}}"),
            fn("rules", "[h.io]", "[{matches: [{path: {type: PathPrefix, value: /f}}]}]"),
            RULES_WARNING),
        update(
            "server-side apply drops the fields and the annotation: regenerated, still listed",
            GENERATED,
            fn(null, null, null),
            defaultGateway(),
            GENERATED),
        update(
            "server-side apply and a domain change: regenerated from the new domain",
            GENERATED,
            fn(null, null, "[]"),
            defaultGatewayWith("domain", "example.com"),
            """
            metadata: {name: f, namespace: default, annotations: {networking.openfunction.io/generated-route: 'hostnames,rules'}}
            spec:
              version: v
              serving:
                triggers:
                  http:
                    port: 8080
                    route:
                      gatewayRef: {name: openfunction, namespace: openfunction}
                      rules: [{matches: [{path: {type: PathPrefix, value: /}}]}]
                      hostnames: [f.default.example.com]
            """,
            HOSTS_WARNING),
        update(
            "all listed fields taken over by the user: the annotation (alone in its map) is removed",
            GENERATED,
            fn("hostnames,rules", "[h.io]", "[{matches: [{path: {type: Exact, value: /x}}]}]"),
            defaultGateway(),
            fn(null, "[h.io]", "[{matches: [{path: {type: Exact, value: /x}}]}]")),
        update(
            "a user-owned field set to the rendered value stays the user's",
            fn("rules", "[h.io]", PATH_RULE),
            fn("rules", "[f.default.ofn.io]", PATH_RULE),
            defaultGateway(),
            fn("rules", "[f.default.ofn.io]", PATH_RULE)),
        update(
            "the user removes a field they owned: generated again; listed rules re-render to /",
            fn("rules", "[h.io]", PATH_RULE),
            fn("rules", null, PATH_RULE),
            defaultGateway(),
            """
            metadata: {name: f, namespace: default, annotations: {networking.openfunction.io/generated-route: 'hostnames,rules'}}
            spec:
              version: v
              serving:
                triggers:
                  http:
                    port: 8080
                    route:
                      gatewayRef: {name: openfunction, namespace: openfunction}
                      rules: [{matches: [{path: {type: PathPrefix, value: /}}]}]
                      hostnames: [f.default.ofn.io]
            """,
            RULES_WARNING),
        update(
            "object stored before the webhook (no annotation, no fields): generated and listed",
            fn(null, null, null),
            fn(null, null, null),
            defaultGateway(),
            GENERATED),
        update(
            "the list comes from oldObject: an annotation the user adds does not claim their values",
            fn(null, "[h.io]", "[{}]"),
            fn("hostnames,rules", "[h.io]", "[{}]"),
            defaultGateway(),
            fn(null, "[h.io]", "[{}]")),
        update(
            "unusable hostTemplate: unchanged listed hostnames stay listed and untouched",
            GENERATED,
            GENERATED,
            defaultGatewayWith("hostTemplate", "{{.Name"),
            GENERATED,
            HOST_TEMPLATE_WARNING),
        update(
            "unusable hostTemplate: edited listed hostnames become the user's",
            GENERATED,
            fn("hostnames,rules", "[mine.io]", ROOT_RULE),
            defaultGatewayWith("hostTemplate", "{{.Name"),
            fn("rules", "[mine.io]", PATH_RULE),
            HOST_TEMPLATE_WARNING,
            RULES_WARNING),
        update(
            "gateway not found: parity only, the annotation is left as sent",
            GENERATED,
            fn("hostnames,rules", "[mine.io]", ROOT_RULE),
            null,
            fn("hostnames,rules", "[mine.io]", ROOT_RULE),
            "gateway openfunction/openfunction not found: route hostnames and rules not generated"),
        fixtureUpdate(
            "sample fixture re-applied with server-side apply",
            "function-sample-serving-only.yaml",
            defaultGateway(),
            FunctionRouteCreateTest.SAMPLE_DEFAULTED),
        fixtureUpdate(
            "kedahttp sample under a gateway domain change keeps the user's route",
            "function-kedahttp-sample-serving.yaml",
            defaultGatewayWith("domain", "example.com"),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void update(
      String name,
      Supplier<ObjectNode> oldObject,
      Supplier<ObjectNode> object,
      OfnGateway gateway,
      String expected,
      List<String> warnings) {
    ObjectNode old = oldObject.get();
    ObjectNode received = object.get();
    FunctionContext context =
        new FunctionContext("default", old, Optional.ofNullable(gateway), true);
    DefaultingResult once = FunctionDefaulter.apply(received, context);
    assertTree(expected == null ? object.get() : yaml(expected), once.object());
    assertEquals(warnings, once.warnings());
    assertTree(object.get(), received);
    assertTree(oldObject.get(), old);
    // A reinvocation of the same UPDATE (same oldObject) changes nothing more.
    DefaultingResult twice = FunctionDefaulter.apply(once.object(), context);
    assertTree(once.object(), twice.object());
    assertEquals(warnings, twice.warnings());
  }

  private static Arguments update(
      String name,
      String old,
      String object,
      OfnGateway gateway,
      String expected,
      String... warnings) {
    return Arguments.of(
        name,
        (Supplier<ObjectNode>) () -> yaml(old),
        (Supplier<ObjectNode>) () -> yaml(object),
        gateway,
        expected,
        List.of(warnings));
  }

  /**
   * The fixture stored as the webhook defaulted it on CREATE, then the fixture itself sent again.
   */
  private static Arguments fixtureUpdate(
      String name, String file, OfnGateway gateway, String expected) {
    Supplier<ObjectNode> stored =
        () ->
            FunctionDefaulter.apply(
                    Fixtures.load(file, "default"),
                    FunctionContext.create("default", defaultGateway()))
                .object();
    return Arguments.of(
        name,
        stored,
        (Supplier<ObjectNode>) () -> Fixtures.load(file, "default"),
        gateway,
        expected,
        List.of());
  }
}
