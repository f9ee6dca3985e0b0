package dev.ofn.webhook.controller;

import dev.ofn.webhook.json.Json;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's CRUD mock API server answers server-side apply with 415 (or 404 when the object is
 * absent). This dispatcher emulates the part of it the controller relies on — for the Gateway API's
 * {@code spec.listeners} list-map and metadata maps: the applied entries are merged by name into
 * the stored object, and entries (listeners, annotations, labels) the same field manager applied
 * before but no longer applies are removed; everything else in the object stays. An absent object
 * is created (when valid: a Gateway without gatewayClassName is refused, as the apiserver would).
 * Every apply request is recorded, so tests can check what went over the wire.
 *
 * <p>It also makes {@code PUT .../status} honour the sent resourceVersion (409 when stale), as the
 * apiserver does and the mock does not: otherwise a stale status write silently undoes another one.
 */
final class ApplyingDispatcher extends KubernetesCrudDispatcher {
  record Apply(String path, String contentType, JsonNode body) {}

  final List<Apply> applies = new CopyOnWriteArrayList<>();
  private final Map<String, ObjectNode> lastApplied = new HashMap<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (request.method() == HttpMethod.PATCH
        && contentType != null
        && contentType.contains("apply-patch")) {
      return apply(request, contentType);
    }
    if (request.method() == HttpMethod.PUT
        && request.getPath().split("\\?")[0].endsWith("/status")) {
      return putStatus(request);
    }
    return super.dispatch(request);
  }

  private synchronized MockResponse putStatus(RecordedRequest request) {
    String path = request.getPath().split("\\?")[0];
    String body = request.getUtf8Body();
    String sent = Json.stringOr(Json.MAPPER.readTree(body), "", "metadata", "resourceVersion");
    MockResponse current = super.handleGet(path.substring(0, path.length() - "/status".length()));
    if (!sent.isEmpty() && current.code() == 200) {
      String stored =
          Json.stringOr(
              Json.MAPPER.readTree(current.getBody().readUtf8()),
              "",
              "metadata",
              "resourceVersion");
      if (!sent.equals(stored)) {
        return new MockResponse()
            .setResponseCode(409)
            .setBody(
                """
            {"apiVersion":"v1","kind":"Status","status":"Failure","reason":"Conflict","code":409,
             "message":"the object has been modified; please apply your changes to the latest version and try again"}""");
      }
    }
    return super.dispatch(
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.PUT,
            request.getPath(),
            request.getHeaders(),
            new Buffer().writeUtf8(body)));
  }

  private synchronized MockResponse apply(RecordedRequest request, String contentType) {
    String path = request.getPath().split("\\?")[0];
    ObjectNode applied = (ObjectNode) Json.YAML.readTree(request.getUtf8Body());
    applies.add(new Apply(request.getPath(), contentType, applied));
    String manager = query(request.getPath(), "fieldManager");
    ObjectNode previous = lastApplied.getOrDefault(manager + " " + path, Json.object());
    lastApplied.put(manager + " " + path, applied.deepCopy());
    MockResponse current = super.handleGet(path);
    if (current.code() == 404) {
      if (Json.absent(applied, "spec", "gatewayClassName")) {
        // The apiserver validates the object an apply would create: a Gateway needs its class.
        return new MockResponse()
            .setResponseCode(422)
            .setBody(
                """
            {"apiVersion":"v1","kind":"Status","status":"Failure","reason":"Invalid","code":422,
             "message":"Gateway is invalid: spec.gatewayClassName: Required value"}""");
      }
      String collection = path.substring(0, path.lastIndexOf('/'));
      return super.dispatch(request(HttpMethod.POST, collection, applied));
    }
    ObjectNode merged = (ObjectNode) Json.MAPPER.readTree(current.getBody().readUtf8());
    for (String map : List.of("annotations", "labels")) {
      ObjectNode target = Json.objectAt(merged, "metadata", map);
      Json.at(previous, "metadata", map).propertyNames().forEach(target::remove);
      Json.at(applied, "metadata", map)
          .properties()
          .forEach(e -> target.set(e.getKey(), e.getValue()));
    }
    ObjectNode spec = Json.objectAt(merged, "spec");
    for (Map.Entry<String, JsonNode> field : Json.at(applied, "spec").properties()) {
      if (!field.getKey().equals("listeners")) {
        spec.set(field.getKey(), field.getValue());
      }
    }
    Set<String> dropped = names(Json.at(previous, "spec", "listeners"));
    dropped.removeAll(names(Json.at(applied, "spec", "listeners")));
    ArrayNode listeners = Json.array();
    for (JsonNode listener : Json.at(merged, "spec", "listeners")) {
      if (!dropped.contains(Json.stringOr(listener, "", "name"))) {
        listeners.add(listener);
      }
    }
    for (JsonNode listener : Json.at(applied, "spec", "listeners")) {
      String name = Json.stringOr(listener, "", "name");
      int at = -1;
      for (int i = 0; i < listeners.size(); i++) {
        if (name.equals(Json.stringOr(listeners.get(i), "", "name"))) {
          at = i;
        }
      }
      if (at >= 0) {
        listeners.set(at, listener);
      } else {
        listeners.add(listener);
      }
    }
    spec.set("listeners", listeners);
    return super.dispatch(request(HttpMethod.PUT, path, merged));
  }

  private static Set<String> names(JsonNode listeners) {
    Set<String> names = new LinkedHashSet<>();
    listeners.forEach(l -> names.add(Json.stringOr(l, "", "name")));
    return names;
  }

  private static String query(String path, String name) {
    int q = path.indexOf('?');
    if (q < 0) {
      return "";
    }
    for (String pair : path.substring(q + 1).split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    return "";
  }

  private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
    Headers headers = new Headers.Builder().add("Content-Type", "application/json").build();
    return new RecordedRequest(
        "HTTP/1.1", method, path, headers, new Buffer().writeUtf8(body.toString()));
  }

  List<Apply> applies() {
    return new ArrayList<>(applies);
  }
}
