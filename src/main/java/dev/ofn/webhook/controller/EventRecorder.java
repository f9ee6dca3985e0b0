package dev.ofn.webhook.controller;

import dev.ofn.webhook.json.Json;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes Events ({@code v1}) on the objects we reconcile, e.g. one per change of a Function's
 * RouteReady reason. Best effort: a failed event is logged at debug level and never fails a
 * reconcile.
 */
final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String COMPONENT = "ofn-webhook";

  private final Cluster cluster;
  private final String instance;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  EventRecorder(Cluster cluster, String instance, Clock clock) {
    this.cluster = cluster;
    this.instance = instance;
    this.clock = clock;
  }

  void record(JsonNode object, boolean warning, String reason, String message) {
    String name = Json.stringOr(object, "", "metadata", "name");
    String namespace = Json.stringOr(object, "default", "metadata", "namespace");
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectNode event = Json.object().put("apiVersion", "v1").put("kind", "Event");
    // Like client-go: <object>.<unique hex>, unique per process and moment.
    event
        .putObject("metadata")
        .put(
            "name",
            name
                + "."
                + Long.toHexString(clock.millis())
                + Long.toHexString(sequence.incrementAndGet()))
        .put("namespace", namespace);
    ObjectNode involved =
        event
            .putObject("involvedObject")
            .put("apiVersion", Json.stringOr(object, "", "apiVersion"))
            .put("kind", Json.stringOr(object, "", "kind"))
            .put("name", name)
            .put("namespace", namespace);
    Json.string(object, "metadata", "uid").ifPresent(uid -> involved.put("uid", uid));
    Json.string(object, "metadata", "resourceVersion")
        .ifPresent(rv -> involved.put("resourceVersion", rv));
    event
        .put("type", warning ? "Warning" : "Normal")
        .put("reason", reason)
        .put("message", message.length() > 1024 ? message.substring(0, 1024) : message)
        .put("firstTimestamp", now)
        .put("lastTimestamp", now)
        .put("count", 1)
        .put("reportingComponent", COMPONENT)
        .put("reportingInstance", instance);
    event.putObject("source").put("component", COMPONENT);
    try {
      cluster.create(event);
    } catch (RuntimeException e) {
      LOG.debug("event {} on {}/{} not recorded: {}", reason, namespace, name, e.toString());
    }
  }
}
