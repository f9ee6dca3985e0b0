package dev.ofn.webhook.defaulting;

import static dev.ofn.webhook.defaulting.TestTrees.defaultGateway;
import static dev.ofn.webhook.defaulting.TestTrees.defaultGatewayWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.routing.RouteDerivation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the defaulter writes into a Function and what its HTTPRoute gets come from one renderer: for
 * every gateway (usable or not) and every route shape, the derived hostnames and rules are the
 * Function's own after defaulting (plus the internal host).
 */
class RendererAgreementTest {
  static Stream<Arguments> cases() {
    Map<String, OfnGateway> gateways =
        Map.of(
            "default", defaultGateway(),
            "unusable hostTemplate", defaultGatewayWith("hostTemplate", "{{.Name"),
            "unusable pathTemplate", defaultGatewayWith("pathTemplate", "{{.Name"),
            "leading-slash pathTemplate", defaultGatewayWith("pathTemplate", "/{{.Name}}"),
            "empty hostTemplate", defaultGatewayWith("hostTemplate", ""));
    Map<String, String> routes =
        Map.of(
            "no hostnames, no rules", "{}",
            "user hostnames", "{\"hostnames\": [\"mine.io\"]}",
            "user rules",
                "{\"rules\": [{\"matches\": [{\"path\": {\"type\": \"Exact\", \"value\": \"/x\"}}]}]}");
    List<Arguments> cases = new ArrayList<>();
    gateways.forEach(
        (gatewayName, gateway) ->
            routes.forEach(
                (routeName, route) ->
                    cases.add(Arguments.of(gatewayName + ", " + routeName, gateway, route))));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theHttpRouteCarriesWhatTheFunctionWasGiven(String name, OfnGateway gateway, String route)
      throws Exception {
    ObjectNode function = Fixtures.load("function-sample-serving-only.yaml", "default");
    ObjectNode http =
        (ObjectNode) function.path("spec").path("serving").path("triggers").path("http");
    ObjectNode given = (ObjectNode) dev.ofn.webhook.json.Json.MAPPER.readTree(route);
    given.set("gatewayRef", http.path("route").path("gatewayRef"));
    http.set("route", given);

    JsonNode defaulted =
        FunctionDefaulter.apply(function, FunctionContext.create("default", gateway)).object();
    RouteDerivation.Derived derived = RouteDerivation.derive(defaulted, gateway).orElseThrow();

    JsonNode written =
        defaulted.path("spec").path("serving").path("triggers").path("http").path("route");
    if (written.path("rules").isArray()) {
      assertEquals(written.path("rules"), derived.rules());
    } else {
      assertEquals(null, derived.rules(), "no rules written, none routed: " + derived.problem());
    }
    List<String> hostnames = new ArrayList<>();
    written.path("hostnames").forEach(h -> hostnames.add(h.asString()));
    hostnames.add(RouteDerivation.internalHost("function-sample-serving-only", "default", gateway));
    assertEquals(hostnames, derived.hostnames());
  }
}
