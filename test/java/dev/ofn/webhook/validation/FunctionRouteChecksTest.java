package dev.ofn.webhook.validation;

import static dev.ofn.webhook.validation.Trees.KEDA_HTTP;
import static dev.ofn.webhook.validation.Trees.SERVING_ONLY;
import static dev.ofn.webhook.validation.Trees.WASMEDGE;
import static dev.ofn.webhook.validation.Trees.fixture;
import static dev.ofn.webhook.validation.Trees.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/behaviour.md §5 beyond: the route checks run under FULL only; PARITY reports nothing for
 * them.
 */
class FunctionRouteChecksTest {
  static final String HTTP = "spec.serving.triggers.http";
  static final String ROUTE = HTTP + ".route";
  static final String MATCH = ROUTE + ".rules[0].matches[0]";
  static final String REFS = ROUTE + ".rules[0].backendRefs";
  static final String FN_REF = "{group: core.openfunction.io, kind: Function, name: fn-v2}";
  static final String PATH_RULES = "when type one of ['Exact', 'PathPrefix']";

  record Case(String name, String file, String[] edits, List<String> lines) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case of(String name, String file, List<String> lines, String... edits) {
    return new Case(name, file, edits, lines);
  }

  static String yamlList(int n, String format) {
    return IntStream.range(0, n)
        .mapToObj(i -> String.format(format, i))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static Stream<Case> beyond() {
    return Stream.of(
        of(
            "gatewayRef without name and namespace",
            SERVING_ONLY,
            List.of(
                ROUTE + ".gatewayRef.name: Required value: must specify the OFN Gateway's name",
                ROUTE
                    + ".gatewayRef.namespace: Required value: must specify the OFN Gateway's namespace"),
            ROUTE + ".gatewayRef",
            "{}"),
        of(
            "gatewayRef with an empty namespace",
            SERVING_ONLY,
            List.of(
                ROUTE
                    + ".gatewayRef.namespace: Required value: must specify the OFN Gateway's namespace"),
            ROUTE + ".gatewayRef.namespace",
            "''"),
        of(
            "uppercase hostname",
            KEDA_HTTP,
            List.of(
                ROUTE + ".hostnames[0]: Invalid value: \"Podinfo.com\": must be " + "lowercase"),
            ROUTE + ".hostnames[0]",
            "Podinfo.com"),
        of(
            "hostname with an underscore",
            KEDA_HTTP,
            List.of(
                ROUTE
                    + ".hostnames[1]: Invalid value: \"pod_info.com\": "
                    + GatewayApiRules.HOSTNAME_FORMAT),
            ROUTE + ".hostnames[1]",
            "pod_info.com"),
        of(
            "duplicate hostname",
            KEDA_HTTP,
            List.of(ROUTE + ".hostnames[2]: Duplicate value: \"podinfo.com\""),
            ROUTE + ".hostnames[1]",
            "'*.podinfo.com'",
            ROUTE + ".hostnames[2]",
            "podinfo.com"),
        of(
            "16 hostnames",
            KEDA_HTTP,
            List.of(
                ROUTE
                    + ".hostnames: Too many: 16: must have at most 15 items (the "
                    + "HTTPRoute adds the function's internal host)"),
            ROUTE + ".hostnames",
            yamlList(16, "h%d.podinfo.com")),
        of(
            "15 hostnames",
            KEDA_HTTP,
            List.of(),
            ROUTE + ".hostnames",
            yamlList(15, "h%d.podinfo.com")),
        of(
            "17 rules",
            KEDA_HTTP,
            List.of(ROUTE + ".rules: Too many: 17: must have at most 16 items"),
            ROUTE + ".rules",
            yamlList(17, "{matches: [{path: {type: Exact, value: /r%d}}]}")),
        of(
            "PathPrefix not starting with /",
            KEDA_HTTP,
            List.of(
                MATCH
                    + ".path.value: Invalid value: \"v2\": value "
                    + "must be an absolute path and start with '/' "
                    + PATH_RULES),
            MATCH + ".path.value",
            "v2"),
        of(
            "absent type is PathPrefix",
            WASMEDGE,
            List.of(
                MATCH
                    + ".path.value: Invalid value: \"/echo/..\": must not "
                    + "end with '/..' "
                    + PATH_RULES),
            MATCH + ".path",
            "{value: /echo/..}"),
        of(
            "Exact with //",
            KEDA_HTTP,
            List.of(
                MATCH
                    + ".path.value: Invalid value: \"/a//b\": must not contain '//' "
                    + PATH_RULES),
            MATCH + ".path",
            "{type: Exact, value: /a//b}"),
        of(
            "Exact with %2F",
            KEDA_HTTP,
            List.of(
                MATCH
                    + ".path.value: Invalid value: \"/a%2Fb\": must not contain "
                    + "'%2F' "
                    + PATH_RULES),
            MATCH + ".path",
            "{type: Exact, value: /a%2Fb}"),
        of(
            "unknown path type",
            KEDA_HTTP,
            List.of(
                MATCH
                    + ".path.type: Unsupported value: \"Prefix\": supported "
                    + "values: \"Exact\", \"PathPrefix\", \"RegularExpression\""),
            MATCH + ".path.type",
            "Prefix"),
        of(
            "regular expression: only the length",
            KEDA_HTTP,
            List.of(),
            MATCH + ".path",
            "{type: RegularExpression, value: '^/(v1|v2)//.*#$'}"),
        of(
            "regular expression too long",
            KEDA_HTTP,
            List.of(MATCH + ".path.value: Too long: may not be more than " + "1024 characters"),
            MATCH + ".path",
            "{type: RegularExpression, value: '" + "a".repeat(1025) + "'}"),
        of(
            "header names differ only in case",
            KEDA_HTTP,
            List.of(MATCH + ".headers[1].name: Duplicate value: " + "\"x-version\""),
            MATCH + ".headers",
            "[{name: X-Version, value: v1}, {name: x-version, value: v2}]"),
        of(
            "query params are case-sensitive",
            KEDA_HTTP,
            List.of(),
            MATCH + ".queryParams",
            "[{name: q, value: a}, {name: Q, value: b}]"),
        of(
            "duplicate query param",
            KEDA_HTTP,
            List.of(MATCH + ".queryParams[1].name: Duplicate value: \"q\""),
            MATCH + ".queryParams",
            "[{name: q, value: a}, {name: q, value: b}]"),
        of(
            "two RequestHeaderModifier filters",
            KEDA_HTTP,
            List.of(
                ROUTE
                    + ".rules[0].filters[2]: Forbidden: "
                    + "RequestHeaderModifier filter cannot be repeated"),
            ROUTE + ".rules[0].filters",
            "[{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: a, "
                + "value: b}]}}, {type: URLRewrite, urlRewrite: {hostname: x.io}}, {type: RequestHeaderModifier, "
                + "requestHeaderModifier: {set: [{name: c, value: d}]}}]"),
        of(
            "port out of range",
            SERVING_ONLY,
            List.of(HTTP + ".port: Invalid value: 65536: must be between 0 and 65535, inclusive"),
            HTTP + ".port",
            "65536"),
        // wrong types: a field error saying which type was expected, never an exception
        of(
            "port",
            SERVING_ONLY,
            List.of(HTTP + ".port: Invalid value: \"abc\": must be of type integer"),
            HTTP + ".port",
            "abc"),
        of(
            "route",
            SERVING_ONLY,
            List.of(ROUTE + ": Invalid value: \"x\": must be of type object"),
            ROUTE,
            "x"),
        of(
            "gatewayRef",
            SERVING_ONLY,
            List.of(ROUTE + ".gatewayRef: Invalid value: \"array\": must be of type object"),
            ROUTE + ".gatewayRef",
            "[openfunction]"),
        of(
            "hostnames",
            KEDA_HTTP,
            List.of(ROUTE + ".hostnames: Invalid value: \"x\": must be of type array"),
            ROUTE + ".hostnames",
            "x"),
        of(
            "a hostname",
            KEDA_HTTP,
            List.of(ROUTE + ".hostnames[0]: Invalid value: 5: must be of type string"),
            ROUTE + ".hostnames[0]",
            "5"),
        of(
            "a null hostname",
            KEDA_HTTP,
            List.of(ROUTE + ".hostnames[0]: Invalid value: null: must be of type string"),
            ROUTE + ".hostnames[0]",
            "null"),
        of(
            "rules",
            KEDA_HTTP,
            List.of(ROUTE + ".rules: Invalid value: \"object\": must be of type array"),
            ROUTE + ".rules",
            "{}"),
        of(
            "a rule",
            KEDA_HTTP,
            List.of(ROUTE + ".rules[0]: Invalid value: \"x\": must be of type object"),
            ROUTE + ".rules[0]",
            "x"),
        of(
            "matches",
            KEDA_HTTP,
            List.of(ROUTE + ".rules[0].matches: Invalid value: \"object\": must be of type array"),
            ROUTE + ".rules[0].matches",
            "{path: {value: /}}"),
        of(
            "a path",
            KEDA_HTTP,
            List.of(MATCH + ".path: Invalid value: \"/\": must be of type object"),
            MATCH + ".path",
            "/"),
        of(
            "a path value",
            KEDA_HTTP,
            List.of(MATCH + ".path.value: Invalid value: 1: must be of type string"),
            MATCH + ".path.value",
            "1"),
        of(
            "a header name",
            KEDA_HTTP,
            List.of(MATCH + ".headers[0].name: Invalid value: false: must be of type string"),
            MATCH + ".headers",
            "[{name: false, value: x}]"),
        of(
            "filters",
            KEDA_HTTP,
            List.of(ROUTE + ".rules[0].filters: Invalid value: \"x\": must be of type array"),
            ROUTE + ".rules[0].filters",
            "x"),
        of(
            "a split to a Service: only Functions are backends",
            SERVING_ONLY,
            List.of(
                REFS + "[1].kind: Unsupported value: \"Service\": supported values: \"Function\""),
            ROUTE + ".rules",
            "[{backendRefs: [" + FN_REF + ", {group: '', kind: Service, name: svc, port: 80}]}]"),
        of(
            "a split ref without kind",
            SERVING_ONLY,
            List.of(
                REFS
                    + "[0].kind: Required value: must be Function: a Function's route sends only to"
                    + " Functions (group core.openfunction.io)"),
            ROUTE + ".rules",
            "[{backendRefs: [{name: fn-v2}]}]"),
        of(
            "a Function ref outside core.openfunction.io",
            SERVING_ONLY,
            List.of(
                REFS
                    + "[0].group: Unsupported value: \"\": supported values:"
                    + " \"core.openfunction.io\""),
            ROUTE + ".rules",
            "[{backendRefs: [{kind: Function, name: fn-v2}]}]"),
        of(
            "a Function in another namespace",
            SERVING_ONLY,
            List.of(
                REFS
                    + "[0].namespace: Invalid value: \"other\": must be the Function's own"
                    + " namespace (default): a route sends only to Functions beside it"),
            ROUTE + ".rules",
            "[{backendRefs: [{group: core.openfunction.io, kind: Function, name: fn-v2,"
                + " namespace: other}]}]"),
        of(
            "a weight above 1,000,000 and a negative one",
            SERVING_ONLY,
            List.of(
                REFS
                    + "[0].weight: Invalid value: 1000001: must be between 0 and 1000000, inclusive",
                REFS + "[1].weight: Invalid value: -1: must be between 0 and 1000000, inclusive"),
            ROUTE + ".rules",
            "[{backendRefs: [{group: core.openfunction.io, kind: Function, name: a, weight:"
                + " 1000001}, {group: core.openfunction.io, kind: Function, name: b, weight:"
                + " -1}]}]"),
        of(
            "a Function twice in one rule",
            SERVING_ONLY,
            List.of(REFS + "[1].name: Duplicate value: \"fn-v2\""),
            ROUTE + ".rules",
            "[{backendRefs: [" + FN_REF + ", " + FN_REF + "]}]"),
        of(
            "17 backends",
            SERVING_ONLY,
            List.of(REFS + ": Too many: 17: must have at most 16 items"),
            ROUTE + ".rules",
            "[{backendRefs: "
                + yamlList(17, "{group: core.openfunction.io, kind: Function, name: f%d}")
                + "}]"));
  }

  @Test
  void aSplitOfFunctionsBesideThisOneIsValid() {
    assertEquals(
        List.of(),
        FunctionValidator.validate(
            fixture(
                SERVING_ONLY,
                ROUTE + ".rules",
                "[{backendRefs: [{group: core.openfunction.io, kind: Function, name:"
                    + " function-sample-serving-only, weight: 0}, {group: core.openfunction.io,"
                    + " kind: Function, name: fn-v2, namespace: default, weight: 1000000}]}]"),
            Checks.FULL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("beyond")
  void beyondChecks(Case c) {
    assertEquals(
        c.lines(), lines(FunctionValidator.validate(fixture(c.file(), c.edits()), Checks.FULL)));
    assertEquals(
        List.of(), FunctionValidator.validate(fixture(c.file(), c.edits()), Checks.PARITY));
  }

  @Test
  void routeErrorsComeAfterParityErrorsInPathOrder() {
    var errors =
        FunctionValidator.validate(
            fixture(
                KEDA_HTTP,
                "spec.image",
                "''",
                ROUTE + ".hostnames",
                "[b.io, B.io, b.io]",
                MATCH + ".path.value",
                "x",
                "spec.serving.scaleOptions.minReplicas",
                "-1",
                ROUTE + ".gatewayRef.name",
                null),
            Checks.FULL);
    assertEquals(
        String.join(
            "\n",
            "spec.image: Required value: must be specified",
            "spec.serving.scaleOptions.minReplicas: Invalid value: -1: cannot be less than 0",
            ROUTE + ".gatewayRef.name: Required value: must specify the OFN Gateway's name",
            ROUTE + ".hostnames[1]: Invalid value: \"B.io\": must be lowercase",
            ROUTE + ".hostnames[2]: Duplicate value: \"b.io\"",
            MATCH
                + ".path.value: Invalid value: \"x\": value must be an absolute path and start with '/' "
                + PATH_RULES),
        FieldErrors.message(errors));
  }
}
