package dev.ofn.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.gateways.K8sGateway;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.ConflictIndex;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The GRPCRoute endpoint on a plain Gateway that opts in: the second route on a method is denied
 * naming the first, a GRPCRoute on an HTTPRoute's hostname too; other kinds are refused as invalid.
 */
class GrpcRouteEndpointTest {
  private static final JsonNode GATEWAY =
      Json.YAML.readTree(
          """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata:
            name: gw
            namespace: infra
            annotations: {ofn-webhook.io/route-policy: deny}
          spec:
            gatewayClassName: eg
            listeners:
              - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
          """);

  private final Map<Endpoint, ReviewHandler> handlers =
      new Webhooks(
              StaticGatewayCatalog.builder().k8sGateways(List.of(K8sGateway.from(GATEWAY))).build(),
              new ConflictIndex(),
              new Webhooks.Settings(true, true, OwnershipMode.OFF, RoutePolicy.OFF))
          .handlers();

  private static JsonNode route(String kind, String namespace, String name, String rules) {
    return Json.YAML.readTree(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: %s
        metadata: {name: %s, namespace: %s}
        spec:
          parentRefs: [{name: gw, namespace: infra}]
          hostnames: [shop.example.com]
          rules: %s
        """
            .formatted(kind, name, namespace, rules));
  }

  private AdmissionResponse review(Endpoint endpoint, JsonNode object) {
    String kind = object.path("kind").asString();
    return handlers
        .get(endpoint)
        .review(
            new AdmissionRequest(
                "admission.k8s.io/v1",
                "uid",
                "CREATE",
                object.path("metadata").path("namespace").asString(),
                object.path("metadata").path("name").asString(),
                "gateway.networking.k8s.io",
                "v1",
                kind,
                false,
                object,
                null,
                null));
  }

  private static final String ADD = "[{matches: [{method: {service: shop.Cart, method: Add}}]}]";

  @Test
  void secondGrpcRouteOnAMethodIsDeniedNamingTheFirst() {
    assertTrue(review(Endpoint.VALIDATE_GRPCROUTE, route("GRPCRoute", "a", "cart", ADD)).allowed());
    AdmissionResponse second =
        review(Endpoint.VALIDATE_GRPCROUTE, route("GRPCRoute", "b", "cart", ADD));
    assertEquals(403, second.code());
    assertEquals(
        "spec.rules[0].matches[0]: Forbidden: \"shop.example.com gRPC shop.Cart/Add\" on gateway"
            + " infra/gw:80 is already routed by GRPCRoute a/cart",
        second.message());
    assertTrue(
        review(
                Endpoint.VALIDATE_GRPCROUTE,
                route(
                    "GRPCRoute",
                    "b",
                    "cart",
                    "[{matches: [{method: {service: shop.Cart, method: Remove}}]}]"))
            .allowed());
  }

  @Test
  void anHttpRouteOnAGrpcRoutesHostnameIsDenied() {
    assertTrue(review(Endpoint.VALIDATE_GRPCROUTE, route("GRPCRoute", "a", "cart", ADD)).allowed());
    AdmissionResponse http =
        review(Endpoint.VALIDATE_HTTPROUTE, route("HTTPRoute", "b", "web", "[{}]"));
    assertEquals(
        "spec.hostnames[0]: Forbidden: hostname shop.example.com on gateway infra/gw:80 is served"
            + " by GRPCRoute a/cart, and a listener serves either GRPCRoutes or HTTPRoutes on a"
            + " hostname, not both (Gateway API GEP-1016)",
        http.message());
  }

  @Test
  void anHttpRouteSentToTheGrpcRouteEndpointIsDeniedAsInvalid() {
    AdmissionResponse response =
        review(Endpoint.VALIDATE_GRPCROUTE, route("HTTPRoute", "a", "web", "[{}]"));
    assertEquals(403, response.code());
    assertEquals("kind: Invalid value: \"HTTPRoute\": must be GRPCRoute", response.message());
  }

  @Test
  void endpointForAGrpcRoute() {
    assertEquals(
        List.of(Endpoint.VALIDATE_GRPCROUTE),
        Endpoint.forObject(route("GRPCRoute", "a", "cart", ADD)));
  }
}
