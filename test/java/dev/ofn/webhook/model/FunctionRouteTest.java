package dev.ofn.webhook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The one route model on its own: which gateway, which fields were generated, the renderers. */
class FunctionRouteTest {
  private static JsonNode yaml(String text) {
    return Json.YAML.readTree(text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no serving                        | {spec: {image: x}}                                                      | none
          no triggers: OF adds http         | {spec: {serving: {}}}                                                   | openfunction/openfunction
          dapr triggers only                | {spec: {serving: {triggers: {dapr: [{name: a}]}}}}                      | none
          http without route                | {spec: {serving: {triggers: {http: {port: 8080}}}}}                     | openfunction/openfunction
          gatewayRef named                  | {spec: {serving: {triggers: {http: {route: {gatewayRef: {name: g, namespace: n}}}}}}} | n/g
          gatewayRef without its namespace  | {spec: {serving: {triggers: {http: {route: {gatewayRef: {name: g}}}}}}} | none
          route of the wrong type           | {spec: {serving: {triggers: {http: {route: 3}}}}}                       | none
          """)
  void theGatewayAFunctionUses(String name, String function, String gateway) {
    Optional<NamespacedName> want =
        gateway.equals("none")
            ? Optional.empty()
            : Optional.of(new NamespacedName(gateway.split("/")[0], gateway.split("/")[1]));
    assertEquals(want, FunctionRoute.gatewayRef(yaml(function)));
  }

  @Test
  void theGeneratedRouteAnnotationIsReadInCanonicalOrderAndOthersIgnored() {
    JsonNode function =
        yaml(
            "{metadata: {annotations: {networking.openfunction.io/generated-route: 'rules, x,"
                + " hostnames'}}}");
    assertEquals(
        List.of("hostnames", "rules"), List.copyOf(FunctionRoute.generatedFields(function)));
    assertEquals(Set.of(), FunctionRoute.generatedFields(yaml("{metadata: {}}")));
    assertEquals(
        Optional.of("hostnames,rules"),
        FunctionRoute.generatedAnnotation(List.of("hostnames", "rules")));
    assertEquals(Optional.empty(), FunctionRoute.generatedAnnotation(List.of()));
  }

  @Test
  void hostsAndPathsRenderAsOpenFunctionRendersThem() {
    assertEquals(
        Optional.of("fn.team-a.ofn.io"), FunctionRoute.renderHost("", "fn", "team-a", "ofn.io"));
    assertEquals(
        Optional.of("fn-team-a.ofn.io"),
        FunctionRoute.renderHost("{{.Name}}-{{.Namespace}}.{{.Domain}}", "fn", "team-a", "ofn.io"));
    assertEquals(Optional.empty(), FunctionRoute.renderHost("{{.Labels}}", "fn", "team-a", "x"));
    // a leading slash is added only when the template has none
    assertEquals(
        Optional.of("/team-a/fn"),
        FunctionRoute.renderPath("{{.Namespace}}/{{.Name}}", "fn", "team-a"));
    assertEquals(
        Optional.of("/team-a/fn"),
        FunctionRoute.renderPath("/{{.Namespace}}/{{.Name}}", "fn", "team-a"));
  }
}
