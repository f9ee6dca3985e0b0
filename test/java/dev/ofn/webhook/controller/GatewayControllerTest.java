package dev.ofn.webhook.controller;

import static dev.ofn.webhook.controller.MockCluster.GATEWAY_API;
import static dev.ofn.webhook.controller.MockCluster.OFN_GATEWAYS;
import static dev.ofn.webhook.controller.MockCluster.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OFN Gateways: listeners into k8s Gateways, the gateway Service, status, finalizer
 * (docs/behaviour.md §8, §9).
 */
class GatewayControllerTest extends ControllerTestBase {
  @Test
  void listenersAreAppliedIntoTheK8sGatewayAndItsStatusMirrored() {
    eventually()
        .until(
            () ->
                cluster
                        .require(GATEWAY_API, "Gateway", "projectcontour", "contour")
                        .path("spec")
                        .path("listeners")
                        .size()
                    == 3);
    JsonNode k8s = cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour");
    assertEquals(
        List.of("http", "ofn-http-internal", "ofn-http-external"),
        k8s.path("spec")
            .path("listeners")
            .valueStream()
            .map(l -> l.path("name").asString())
            .toList());
    assertEquals(
        "ofn-http-internal,ofn-http-external",
        k8s.path("metadata")
            .path("annotations")
            .path("networking.openfunction.io/injected-listeners")
            .asString());
    ApplyingDispatcher.Apply apply = cluster.dispatcher.applies().get(0);
    assertTrue(
        apply.path().contains("fieldManager=ofn-webhook") && apply.path().contains("force=true"),
        apply.path());
    assertTrue(apply.contentType().startsWith("application/apply-patch+yaml"), apply.contentType());
    assertEquals(
        List.of("ofn-http-internal", "ofn-http-external"),
        apply
            .body()
            .path("spec")
            .path("listeners")
            .valueStream()
            .map(l -> l.path("name").asString())
            .toList(),
        "only our listener entries are applied: the owner keeps the rest");
    assertFalse(apply.body().path("spec").has("gatewayClassName"));

    JsonNode ofn = cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction");
    assertEquals(
        List.of("networking.openfunction.io/finalizer"),
        ofn.path("metadata").path("finalizers").valueStream().map(JsonNode::asString).toList());
    eventually().until(() -> cluster.get("v1", "Service", "openfunction", "gateway").isPresent());
    assertEquals(
        "envoy.projectcontour.svc.cluster.local",
        cluster
            .require("v1", "Service", "openfunction", "gateway")
            .path("spec")
            .path("externalName")
            .asString());

    // The gateway implementation reports; the OFN Gateway mirrors it (our listeners only).
    ObjectNode reported =
        (ObjectNode)
            cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour").deepCopy();
    reported.set(
        "status",
        yaml(
            """
        addresses: [{type: IPAddress, value: 10.0.0.7}]
        conditions:
          - {type: Programmed, status: "True", reason: Programmed, message: ok, lastTransitionTime: "2025-01-01T00:00:00Z", observedGeneration: 2}
        listeners:
          - {name: http, attachedRoutes: 0, supportedKinds: [{kind: HTTPRoute}], conditions: []}
          - name: ofn-http-internal
            attachedRoutes: 1
            supportedKinds: [{kind: HTTPRoute}]
            conditions: [{type: Programmed, status: "True", reason: Programmed, message: "", lastTransitionTime: "2025-01-01T00:00:00Z"}]
        """));
    cluster.updateStatus(reported);
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    yaml(
                        """
        addresses: [{type: IPAddress, value: 10.0.0.7}]
        conditions:
          - {type: Programmed, status: "True", reason: Programmed, message: ok, lastTransitionTime: "2025-01-01T00:00:00Z", observedGeneration: 2}
        listeners:
          - name: ofn-http-internal
            attachedRoutes: 1
            supportedKinds: [{kind: HTTPRoute}]
            conditions: [{type: Programmed, status: "True", reason: Programmed, message: "", lastTransitionTime: "2025-01-01T00:00:00Z"}]
        """),
                    cluster
                        .require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction")
                        .path("status")));
  }

  @Test
  void deletingTheOfnGatewayRemovesOurListenersAndTheFinalizer() {
    eventually()
        .until(
            () ->
                cluster
                        .require(GATEWAY_API, "Gateway", "projectcontour", "contour")
                        .path("spec")
                        .path("listeners")
                        .size()
                    == 3);
    cluster.delete(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction");
    eventually()
        .until(
            () -> cluster.get(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction").isEmpty());
    JsonNode k8s = cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour");
    assertEquals(
        List.of("http"),
        k8s.path("spec")
            .path("listeners")
            .valueStream()
            .map(l -> l.path("name").asString())
            .toList());
    assertTrue(
        k8s.path("metadata")
            .path("annotations")
            .path("networking.openfunction.io/injected-listeners")
            .isMissingNode());
  }

  @Test
  void aMissingK8sGatewayIsReportedNotFound() {
    cluster.delete(GATEWAY_API, "Gateway", "projectcontour", "contour");
    eventually()
        .untilAsserted(
            () -> {
              JsonNode condition =
                  cluster
                      .require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction")
                      .path("status")
                      .path("conditions")
                      .path(0);
              assertEquals("Ready", condition.path("type").asString());
              assertEquals("False", condition.path("status").asString());
              assertEquals("NotFound", condition.path("reason").asString());
            });
  }

  /** The default gateway fixture, moved to another namespace (our mutating webhook applied). */
  static ObjectNode teamGateway(String name, String domain) {
    ObjectNode gateway = Fixtures.load("default-gateway.yaml", "team");
    ((ObjectNode) gateway.path("metadata")).put("name", name);
    ((ObjectNode) gateway.path("spec")).put("domain", domain);
    return gateway;
  }

  static List<String> listenerNames(JsonNode k8sGateway) {
    return k8sGateway
        .path("spec")
        .path("listeners")
        .valueStream()
        .map(l -> l.path("name").asString())
        .toList();
  }

  @Test
  void aGatewayDefIsCreatedWithOurListenersAndDeletedWithItsOfnGateway() {
    ObjectNode gateway = teamGateway("edge", "team.example.com");
    ObjectNode spec = (ObjectNode) gateway.path("spec");
    spec.remove("gatewayRef");
    spec.putObject("gatewayDef").put("namespace", "team").put("gatewayClassName", "contour");
    cluster.create(GatewayDefaulter.apply(gateway));
    eventually().until(() -> cluster.get(GATEWAY_API, "Gateway", "team", "edge").isPresent());
    JsonNode k8s = cluster.require(GATEWAY_API, "Gateway", "team", "edge");
    assertEquals("contour", k8s.path("spec").path("gatewayClassName").asString());
    assertEquals(
        "ofn-webhook",
        k8s.path("metadata").path("labels").path("app.kubernetes.io/created-by").asString());
    assertEquals(List.of("ofn-http-internal", "ofn-http-external"), listenerNames(k8s));
    assertEquals(
        "*.team.example.com",
        k8s.path("spec").path("listeners").get(1).path("hostname").asString());

    cluster.delete(OFN_GATEWAYS, "Gateway", "team", "edge");
    eventually()
        .until(
            () ->
                cluster.get(GATEWAY_API, "Gateway", "team", "edge").isEmpty()
                    && cluster.get(OFN_GATEWAYS, "Gateway", "team", "edge").isEmpty());
  }

  @Test
  void twoOfnGatewaysShareAK8sGatewayAndEachTakesOnlyItsListenersAway() {
    eventually()
        .until(
            () ->
                listenerNames(cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour"))
                        .size()
                    == 3);
    ObjectNode team = teamGateway("shared", "team.example.com");
    ((ObjectNode) team.path("spec").path("gatewaySpec").path("listeners").get(1))
        .put("name", "team-http");
    cluster.create(GatewayDefaulter.apply(team));
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    List.of("http", "ofn-http-internal", "ofn-http-external", "team-http"),
                    listenerNames(
                        cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour"))));
    assertEquals(
        "ofn-http-internal,ofn-http-external,team-http",
        cluster
            .require(GATEWAY_API, "Gateway", "projectcontour", "contour")
            .path("metadata")
            .path("annotations")
            .path("networking.openfunction.io/injected-listeners")
            .asString());

    cluster.delete(OFN_GATEWAYS, "Gateway", "team", "shared");
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    List.of("http", "ofn-http-internal", "ofn-http-external"),
                    listenerNames(
                        cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour"))));
  }

  @Test
  void anOfnGatewayMovingToAnotherK8sGatewayTakesItsListenersAlong() {
    eventually()
        .until(
            () ->
                listenerNames(cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour"))
                        .size()
                    == 3);
    cluster.create(
        yaml(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: other, namespace: projectcontour}
        spec: {gatewayClassName: contour, listeners: [{name: https, protocol: HTTPS, port: 443}]}
        """));
    ObjectNode moved =
        (ObjectNode)
            cluster.require(OFN_GATEWAYS, "Gateway", "openfunction", "openfunction").deepCopy();
    ((ObjectNode) moved.path("spec").path("gatewayRef")).put("name", "other");
    cluster.update(moved);
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    List.of("https", "ofn-http-internal", "ofn-http-external"),
                    listenerNames(
                        cluster.require(GATEWAY_API, "Gateway", "projectcontour", "other"))));
    eventually()
        .untilAsserted(
            () ->
                assertEquals(
                    List.of("http"),
                    listenerNames(
                        cluster.require(GATEWAY_API, "Gateway", "projectcontour", "contour"))));
  }
}
