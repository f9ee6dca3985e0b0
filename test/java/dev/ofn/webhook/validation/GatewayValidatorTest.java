package dev.ofn.webhook.validation;

import static dev.ofn.webhook.validation.Trees.GATEWAY;
import static dev.ofn.webhook.validation.Trees.fixture;
import static dev.ofn.webhook.validation.Trees.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class GatewayValidatorTest {
  static final GatewayCatalog NONE = StaticGatewayCatalog.of(List.of());
  static final String EXT = "spec.gatewaySpec.listeners[1]";

  /** One case: edits to the default-gateway fixture and the exact lines expected. */
  record Case(String name, String[] edits, List<String> lines) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case of(String name, List<String> lines, String... edits) {
    return new Case(name, edits, lines);
  }

  /** Every parity message of docs/behaviour.md §3: the same lines under PARITY and FULL. */
  static Stream<Case> parity() {
    return Stream.of(
        of(
            "domain absent",
            List.of("spec.domain: Required value: must specify domain"),
            "spec.domain",
            null),
        of(
            "domain empty",
            List.of("spec.domain: Required value: must specify domain"),
            "spec.domain",
            "''"),
        of(
            "host template does not parse",
            List.of(
                "spec.hostTemplate: Invalid value: \"{{.Name}}.{{.Namespace\": invalid template"),
            "spec.hostTemplate",
            "'{{.Name}}.{{.Namespace'"),
        of(
            "host template with another field",
            List.of(
                "spec.hostTemplate: Invalid value: \"{{.Name}}.{{.Labels}}\": invalid host template, please make "
                    + "sure that only the {{Name}}, {{Namespace}}, {{Domain}} are included in the template"),
            "spec.hostTemplate",
            "'{{.Name}}.{{.Labels}}'"),
        of(
            "host template with a function",
            List.of(
                "spec.hostTemplate: Invalid value: \"{{lower .Name}}.{{.Domain}}\": invalid host template, please "
                    + "make sure that only the {{Name}}, {{Namespace}}, {{Domain}} are included in the template"),
            "spec.hostTemplate",
            "'{{lower .Name}}.{{.Domain}}'"),
        of(
            "path template does not parse",
            List.of(
                "spec.pathTemplate: Invalid value: \"{{.Namespace}}/{{.Name\": invalid path template"),
            "spec.pathTemplate",
            "'{{.Namespace}}/{{.Name'"),
        of(
            "path template with Domain shows the path template",
            List.of(
                "spec.pathTemplate: Invalid value: \"{{.Domain}}/{{.Name}}\": invalid path template, please make "
                    + "sure that only the {{Name}} and {{Namespace}} are included in the template"),
            "spec.pathTemplate",
            "'{{.Domain}}/{{.Name}}'"),
        of(
            "neither gatewayRef nor gatewayDef",
            List.of(
                "spec.gatewayRef: Required value: must specify at least one of gatewayRef and gatewayDef"),
            "spec.gatewayRef",
            null),
        of(
            "both gatewayRef and gatewayDef",
            List.of(
                "spec.gatewayRef: Invalid value: {\"name\":\"contour\",\"namespace\":\"projectcontour\"}: "
                    + "specify at most one of gatewayRef and gatewayDef"),
            "spec.gatewayDef",
            "{name: openfunction, namespace: openfunction, gatewayClassName: contour}"),
        of(
            "only the internal listener",
            List.of(
                "spec.gatewaySpec.listeners: Required value: must specify at least one listener"),
            "spec.gatewaySpec.listeners[1]",
            null),
        of(
            "no listeners (not defaulted)",
            List.of(
                "spec.gatewaySpec.listeners: Required value: must specify at least one listener"),
            "spec.gatewaySpec.listeners",
            "[]"),
        of(
            "no gatewaySpec",
            List.of(
                "spec.gatewaySpec.listeners: Required value: must specify at least one listener"),
            "spec.gatewaySpec",
            null),
        of(
            "every parity error at once, in path order",
            List.of(
                "spec.domain: Required value: must specify domain",
                "spec.gatewayRef: Required value: must specify at least one of gatewayRef and gatewayDef",
                "spec.gatewaySpec.listeners: Required value: must specify at least one listener",
                "spec.hostTemplate: Invalid value: \"{{.Host}}\": invalid host template, please make sure that only "
                    + "the {{Name}}, {{Namespace}}, {{Domain}} are included in the template",
                "spec.pathTemplate: Invalid value: \"{{\": invalid path template"),
            "spec.pathTemplate",
            "'{{'",
            "spec.gatewaySpec.listeners[1]",
            null,
            "spec.hostTemplate",
            "'{{.Host}}'",
            "spec.gatewayRef",
            null,
            "spec.domain",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parity")
  void parityMessages(Case c) {
    for (Checks checks : Checks.values()) {
      assertEquals(
          c.lines(),
          lines(GatewayValidator.validate(fixture(GATEWAY, c.edits()), checks, NONE)),
          checks.name());
    }
  }

  /** Beyond checks: these lines under FULL, nothing under PARITY. */
  static Stream<Case> beyond() {
    return Stream.of(
        of(
            "host template renders an invalid hostname",
            List.of(
                "spec.hostTemplate: Invalid value: "
                    + "\"{{.Name}}_{{.Namespace}}.{{.Domain}}\": renders \"a-function_a-namespace.ofn.io\" for function "
                    + "a-namespace/a-function, which is not a valid hostname: "
                    + GatewayApiRules.HOSTNAME_FORMAT),
            "spec.hostTemplate",
            "'{{.Name}}_{{.Namespace}}.{{.Domain}}'"),
        of(
            "empty host template: rendered as the default one, as OpenFunction does",
            List.of(),
            "spec.hostTemplate",
            "''"),
        of(
            "path template with a leading slash: OpenFunction adds one only when missing",
            List.of(),
            "spec.pathTemplate",
            "'/{{.Namespace}}/{{.Name}}'"),
        of(
            "path template renders //",
            List.of(
                "spec.pathTemplate: Invalid value: \"{{.Namespace}}//{{.Name}}\": renders the path "
                    + "\"/a-namespace//a-function\" for function a-namespace/a-function, which is not a valid path: "
                    + "must not contain '//' when type one of ['Exact', 'PathPrefix']"),
            "spec.pathTemplate",
            "'{{.Namespace}}//{{.Name}}'"),
        of(
            "path template renders a space",
            List.of(
                "spec.pathTemplate: Invalid value: \"{{.Namespace}} {{.Name}}\": "
                    + "renders the path \"/a-namespace a-function\" for function a-namespace/a-function, which is not a "
                    + "valid path: must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|"
                    + "[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"),
            "spec.pathTemplate",
            "'{{.Namespace}} {{.Name}}'"),
        of(
            "uppercase domain (reported once: templates render with a stand-in)",
            List.of("spec.domain: Invalid value: \"Ofn.io\": must be lowercase"),
            "spec.domain",
            "Ofn.io"),
        of(
            "domain with a wildcard",
            List.of("spec.domain: Invalid value: \"*.ofn.io\": " + GatewayApiRules.DNS_FORMAT),
            "spec.domain",
            "'*.ofn.io'"),
        of(
            "invalid clusterDomain",
            List.of(
                "spec.clusterDomain: Invalid value: \"cluster_local\": "
                    + GatewayApiRules.DNS_FORMAT),
            "spec.clusterDomain",
            "cluster_local"),
        of(
            "duplicate listener name",
            List.of("spec.gatewaySpec.listeners[2].name: Duplicate value: \"ofn-http-external\""),
            "spec.gatewaySpec.listeners[2]",
            "{name: ofn-http-external, hostname: '*.other.io', port: 80, protocol: HTTP}"),
        of(
            "duplicate port, protocol and hostname",
            List.of(
                "spec.gatewaySpec.listeners[2]: Invalid value: "
                    + "\"HTTP/80 *.ofn.io\": combination of port, protocol and hostname must be unique for each listener "
                    + "(same as listeners[1])"),
            "spec.gatewaySpec.listeners[2]",
            "{name: ofn-http-other, hostname: '*.ofn.io', port: 80, protocol: HTTP}"),
        of(
            "same port and protocol, one without hostname: distinct",
            List.of(),
            "spec.gatewaySpec.listeners[2]",
            "{name: ofn-http-any, port: 80, protocol: HTTP}"),
        of(
            "listener fields",
            List.of(
                "spec.gatewaySpec.listeners[2].hostname: Invalid value: \"*.Other.io\": must be lowercase",
                "spec.gatewaySpec.listeners[2].name: Invalid value: \"Upper\": must be lowercase",
                "spec.gatewaySpec.listeners[2].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.gatewaySpec.listeners[2].protocol: Required value: must specify a protocol"),
            "spec.gatewaySpec.listeners[2]",
            "{name: Upper, hostname: '*.Other.io', port: 70000}"),
        of(
            "listener without name and port",
            List.of(
                "spec.gatewaySpec.listeners[2].name: Required value: must specify a listener name",
                "spec.gatewaySpec.listeners[2].port: Required value: must specify a port"),
            "spec.gatewaySpec.listeners[2]",
            "{protocol: HTTP}"),
        of(
            "listener port of the wrong type",
            List.of(EXT + ".port: Invalid value: \"abc\": must be of type integer"),
            EXT + ".port",
            "abc"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("beyond")
  void beyondChecks(Case c) {
    assertEquals(
        c.lines(),
        lines(GatewayValidator.validate(fixture(GATEWAY, c.edits()), Checks.FULL, NONE)));
    assertEquals(
        List.of(),
        lines(GatewayValidator.validate(fixture(GATEWAY, c.edits()), Checks.PARITY, NONE)));
  }

  @ParameterizedTest
  @EnumSource(Checks.class)
  void fixturesAndBuiltInAreClean(Checks checks) {
    assertEquals(List.of(), GatewayValidator.validate(fixture(GATEWAY), checks, NONE));
    // its own entry in the catalog is not "another" OFN Gateway (an UPDATE sees itself)
    assertEquals(
        List.of(),
        GatewayValidator.validate(fixture(GATEWAY), checks, StaticGatewayCatalog.builtIn()));
    assertEquals(
        List.of(),
        GatewayValidator.validate(StaticGatewayCatalog.builtInGatewayTree(), checks, NONE));
    assertEquals(List.of(), GatewayValidator.validate(fixture(GATEWAY), checks, null));
  }

  @ParameterizedTest
  @EnumSource(Checks.class)
  void absentTemplatesAndClusterDomainAreTheCrdDefaults(Checks checks) {
    assertEquals(
        List.of(),
        GatewayValidator.validate(
            fixture(
                GATEWAY,
                "spec.hostTemplate",
                null,
                "spec.pathTemplate",
                null,
                "spec.clusterDomain",
                null,
                "spec.httpRouteLabelKey",
                null),
            checks,
            NONE));
  }

  @Test
  void secondOfnGatewayInANamespace() {
    GatewayCatalog catalog =
        StaticGatewayCatalog.of(
            List.of(
                OfnGateway.from(fixture(GATEWAY, "metadata.name", "zeta")),
                OfnGateway.from(fixture(GATEWAY, "metadata.name", "other")),
                OfnGateway.from(
                    fixture(
                        GATEWAY, "metadata.name", "elsewhere", "metadata.namespace", "team-a"))));
    assertEquals(
        List.of("spec: Forbidden: namespace already has OFN Gateway other"),
        lines(GatewayValidator.validate(fixture(GATEWAY), Checks.FULL, catalog)));
    assertEquals(List.of(), GatewayValidator.validate(fixture(GATEWAY), Checks.PARITY, catalog));
    assertEquals(
        List.of(),
        GatewayValidator.validate(
            fixture(GATEWAY, "metadata.namespace", "team-b"), Checks.FULL, catalog));
  }

  /** Wrong JSON types are field errors in both modes (the parity checks read these fields too). */
  static Stream<Case> wrongTypes() {
    return Stream.of(
        of("spec", List.of("spec: Invalid value: \"x\": must be of type object"), "spec", "x"),
        of(
            "domain",
            List.of("spec.domain: Invalid value: 5: must be of type string"),
            "spec.domain",
            "5"),
        of(
            "hostTemplate",
            List.of("spec.hostTemplate: Invalid value: \"array\": must be of type string"),
            "spec.hostTemplate",
            "[a]"),
        of(
            "gatewayRef",
            List.of("spec.gatewayRef: Invalid value: \"x\": must be of type object"),
            "spec.gatewayRef",
            "x"),
        of(
            "gatewaySpec",
            List.of("spec.gatewaySpec: Invalid value: true: must be of type object"),
            "spec.gatewaySpec",
            "true"),
        of(
            "listeners",
            List.of("spec.gatewaySpec.listeners: Invalid value: \"x\": must be of type array"),
            "spec.gatewaySpec.listeners",
            "x"),
        of(
            "a listener",
            List.of(
                "spec.gatewaySpec.listeners: Required value: must specify at least one listener",
                "spec.gatewaySpec.listeners[1]: Invalid value: \"x\": must be of type object"),
            EXT,
            "x"),
        of(
            "a listener name",
            List.of(EXT + ".name: Invalid value: \"object\": must be of type string"),
            EXT + ".name",
            "{a: 1}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongTypes")
  void wrongTypesAreFieldErrors(Case c) {
    for (Checks checks : Checks.values()) {
      assertEquals(
          c.lines(),
          lines(GatewayValidator.validate(fixture(GATEWAY, c.edits()), checks, NONE)),
          checks.name());
    }
  }

  @Test
  void theHostnameOwnershipAnnotationNamesAMode() {
    String key = "metadata.annotations";
    assertEquals(
        List.of(
            "metadata.annotations[networking.openfunction.io/hostname-ownership]: Unsupported value:"
                + " \"strict\": supported values: \"off\", \"namespace\""),
        lines(
            GatewayValidator.validate(
                fixture(GATEWAY, key, "{networking.openfunction.io/hostname-ownership: strict}"),
                Checks.FULL,
                NONE)));
    for (String mode : List.of("off", "namespace")) {
      assertEquals(
          List.of(),
          lines(
              GatewayValidator.validate(
                  fixture(
                      GATEWAY,
                      key,
                      "{networking.openfunction.io/hostname-ownership: " + mode + "}"),
                  Checks.FULL,
                  NONE)));
    }
  }

  @Test
  void severalErrorsRenderInPathOrderAsOneMessage() {
    var errors =
        GatewayValidator.validate(
            fixture(
                GATEWAY,
                "spec.domain",
                "''",
                "spec.pathTemplate",
                "'{{.Namespace}}//{{.Name}}'",
                "spec.gatewaySpec.listeners[2]",
                "{name: ofn-http-external, hostname: '*.x.io', port: 0, protocol: HTTP}"),
            Checks.FULL,
            NONE);
    assertEquals(
        String.join(
            "\n",
            "spec.domain: Required value: must specify domain",
            "spec.gatewaySpec.listeners[2].name: Duplicate value: \"ofn-http-external\"",
            "spec.gatewaySpec.listeners[2].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.pathTemplate: Invalid value: \"{{.Namespace}}//{{.Name}}\": renders the path "
                + "\"/a-namespace//a-function\" for function a-namespace/a-function, which is not a valid path: "
                + "must not contain '//' when type one of ['Exact', 'PathPrefix']"),
        FieldErrors.message(errors));
  }
}
