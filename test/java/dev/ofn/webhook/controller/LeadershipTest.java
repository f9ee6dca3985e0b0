package dev.ofn.webhook.controller;

import static dev.ofn.webhook.controller.MockCluster.FUNCTIONS;
import static dev.ofn.webhook.controller.MockCluster.GATEWAY_API;
import static dev.ofn.webhook.controller.MockCluster.yaml;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Two replicas, one Lease: only the leader writes, and the other takes over when it goes. */
class LeadershipTest {
  static final String SAMPLE = "function-sample-serving-only";
  final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void onlyTheLeaderWritesAndTheOtherTakesOver() {
    JsonNode gateway =
        cluster.create(GatewayDefaulter.apply(Fixtures.load("default-gateway.yaml")));
    cluster.create(
        yaml(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: contour, namespace: projectcontour}
        spec: {gatewayClassName: contour, listeners: [{name: http, protocol: HTTP, port: 8080}]}
        """));
    MockCluster.Replica a = cluster.replica("replica-a");
    MockCluster.Replica b = cluster.replica("replica-b");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> a.leadership.isLeader() ^ b.leadership.isLeader());
    MockCluster.Replica leader = a.leadership.isLeader() ? a : b;
    MockCluster.Replica follower = leader == a ? b : a;

    ObjectNode function = Fixtures.load("function-kedahttp-sample-serving.yaml", "default");
    cluster.create(
        FunctionDefaulter.apply(
                function, FunctionContext.create("default", OfnGateway.from(gateway)))
            .object());
    cluster.editStatus(
        FUNCTIONS,
        "Function",
        "default",
        "kedahttp-sample",
        f ->
            Json.objectAt(f, "status", "serving")
                .put("state", "Running")
                .put("service", "kedahttp-sample-svc"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> cluster.get(GATEWAY_API, "HTTPRoute", "default", "kedahttp-sample").isPresent());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> leader.controller.idle() && follower.controller.idle());
    assertTrue(leader.controller.writes() > 0);
    assertEquals(0, follower.controller.writes(), "a follower never writes");
    assertTrue(follower.informers.synced(), "a follower keeps its admission informers");

    // The leader goes away (its Lease is released on close); the follower takes over and repairs
    // drift.
    cluster.dispatcher.applies.clear();
    leader.close();
    await().atMost(Duration.ofSeconds(10)).until(follower.leadership::isLeader);
    cluster.delete(GATEWAY_API, "HTTPRoute", "default", "kedahttp-sample");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> cluster.get(GATEWAY_API, "HTTPRoute", "default", "kedahttp-sample").isPresent());
    assertNotEquals(0, follower.controller.writes());
    String holder =
        cluster
            .require("coordination.k8s.io/v1", "Lease", "ofn-webhook-system", "ofn-webhook")
            .path("spec")
            .path("holderIdentity")
            .asString();
    assertEquals(List.of(follower.leadership.identity()), List.of(holder));
  }
}
