package dev.ofn.webhook.fuzz;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.TreePaths;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.cli.TestServer;
import dev.ofn.webhook.json.Json;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates one fuzz case from one seed: a fixture-based AdmissionReview with structural edits
 * (wrong types anywhere, removed fields, deep nesting, huge or odd strings), review-level damage
 * (no uid, no request, null object, v1beta1, DELETE/CONNECT, garbage oldObject), or byte-level
 * damage (bad UTF-8, truncation, random bytes). Same seed, same case: a failure is replayed with
 * {@code -Dfuzz.seed}.
 */
final class Mutations {
  static final List<String> FIXTURES =
      List.of(
          "default-gateway.yaml",
          "function-sample-serving-only.yaml",
          "function-kedahttp-sample-serving.yaml",
          "wasmedge-http-server.yaml");
  private static final List<String> OPERATIONS =
      List.of(
          "CREATE", "CREATE", "CREATE", "UPDATE", "UPDATE", "UPDATE", "DELETE", "CONNECT", "",
          "create", "PATCH");

  /**
   * One request. {@code uid}/{@code apiVersion} are what a 200 answer must echo (null when the case
   * damaged them); {@code object} is the tree a returned patch must apply to (null when unknown).
   */
  record Case(
      long seed,
      String kind,
      Endpoint endpoint,
      String contentType,
      byte[] body,
      String uid,
      String apiVersion,
      JsonNode object) {
    @Override
    public String toString() {
      String text = new String(body, 0, Math.min(body.length, 600), StandardCharsets.UTF_8);
      return "case seed="
          + seed
          + " kind="
          + kind
          + " endpoint="
          + endpoint.path
          + " bytes="
          + body.length
          + " body="
          + text
          + (body.length > 600 ? "…" : "");
    }
  }

  private final List<ObjectNode> fixtures = new ArrayList<>();

  Mutations() {
    for (String file : FIXTURES) {
      fixtures.add(Fixtures.load(file, file.contains("gateway") ? "openfunction" : "default"));
    }
  }

  Case next(long seed) {
    Random random = new Random(seed);
    Endpoint endpoint = Endpoint.values()[random.nextInt(Endpoint.values().length)];
    // mostly the fixture that belongs to the endpoint, sometimes a foreign one
    ObjectNode object = pick(random, endpoint).deepCopy();
    String contentType =
        random.nextInt(20) == 0 ? "application/json; charset=utf-8" : "application/json";
    int family = random.nextInt(100);
    if (family < 55) {
      int edits = 1 + random.nextInt(3);
      for (int i = 0; i < edits; i++) {
        mutateTree(random, object);
      }
      ObjectNode review = review(random, object, oldObject(random, object));
      return json(seed, "tree", endpoint, contentType, review, object);
    }
    if (family < 75) {
      ObjectNode review = review(random, object, oldObject(random, object));
      String kind = damageReview(random, review);
      JsonNode sent = review.path("request").path("object");
      return json(
          seed, "review:" + kind, endpoint, contentType, review, sent.isObject() ? sent : null);
    }
    if (family < 80) {
      ObjectNode review = review(random, object, null);
      ((ObjectNode) review.path("request"))
          .set("object", Shapes.deep(random, 20 + random.nextInt(230)));
      return json(seed, "deep-object", endpoint, contentType, review, null);
    }
    if (family < 82) {
      return bytes(
          seed,
          "random-json",
          endpoint,
          contentType,
          Json.MAPPER.writeValueAsBytes(Shapes.any(random, 4)));
    }
    if (family == 82 && random.nextInt(20) == 0) {
      // over the body limit: 413, never read into a tree
      ObjectNode review = review(random, object, null);
      ((ObjectNode) object.path("metadata"))
          .put("name", "n".repeat(dev.ofn.webhook.server.AdmissionServer.MAX_BODY));
      return bytes(seed, "oversize", endpoint, contentType, Json.MAPPER.writeValueAsBytes(review));
    }
    ObjectNode review = review(random, object, oldObject(random, object));
    if (random.nextBoolean()) {
      mutateTree(random, object);
    }
    byte[] clean = Json.MAPPER.writeValueAsBytes(review);
    return bytes(seed, "bytes", endpoint, contentType, Bytes.damage(random, clean));
  }

  private ObjectNode pick(Random random, Endpoint endpoint) {
    if (random.nextInt(5) == 0) {
      return fixtures.get(random.nextInt(fixtures.size()));
    }
    return switch (endpoint) {
      case MUTATE_GATEWAY, VALIDATE_GATEWAY -> fixtures.get(0);
      default -> fixtures.get(1 + random.nextInt(fixtures.size() - 1));
    };
  }

  private JsonNode oldObject(Random random, ObjectNode object) {
    return switch (random.nextInt(6)) {
      case 0 -> object.deepCopy();
      case 1 -> {
        ObjectNode old = object.deepCopy();
        mutateTree(random, old);
        yield old;
      }
      case 2 -> Shapes.any(random, 3);
      default -> null;
    };
  }

  private static ObjectNode review(Random random, ObjectNode object, JsonNode oldObject) {
    String operation = OPERATIONS.get(random.nextInt(OPERATIONS.size()));
    ObjectNode review =
        TestServer.reviewOf(operation, object, "UPDATE".equals(operation) ? oldObject : null);
    if (random.nextInt(4) == 0) {
      review.put("apiVersion", "admission.k8s.io/v1beta1");
    }
    if (random.nextInt(8) == 0) {
      ((ObjectNode) review.path("request")).put("dryRun", true);
    }
    return review;
  }

  /** Review-level damage; returns what was done. */
  private static String damageReview(Random random, ObjectNode review) {
    ObjectNode request = (ObjectNode) review.path("request");
    String[] fields = {
      "uid",
      "operation",
      "object",
      "oldObject",
      "namespace",
      "name",
      "kind",
      "dryRun",
      "userInfo",
      "resource",
      "subResource",
      "options"
    };
    return switch (random.nextInt(9)) {
      case 0 -> {
        request.remove("uid");
        yield "no-uid";
      }
      case 1 -> {
        review.remove("request");
        yield "no-request";
      }
      case 2 -> {
        request.putNull("object");
        yield "null-object";
      }
      case 3 -> {
        request.remove("object");
        yield "no-object";
      }
      case 4 -> {
        review.set("request", Shapes.any(random, 2));
        yield "request-shape";
      }
      case 5 -> {
        review.set(random.nextBoolean() ? "apiVersion" : "kind", Shapes.any(random, 1));
        yield "header";
      }
      case 6 -> {
        String field = fields[random.nextInt(fields.length)];
        request.set(field, Shapes.any(random, 3));
        yield "field:" + field;
      }
      case 7 -> {
        request.set("oldObject", Shapes.any(random, 3));
        request.put("operation", "UPDATE");
        yield "old-garbage";
      }
      default -> {
        request.put("operation", random.nextBoolean() ? "DELETE" : "CONNECT");
        yield "delete-connect";
      }
    };
  }

  /** One structural edit at a random node: replace by another shape, remove, or add a sibling. */
  static void mutateTree(Random random, ObjectNode root) {
    List<List<Object>> paths = TreePaths.all(root);
    List<Object> path = paths.get(random.nextInt(paths.size()));
    JsonNode parent = TreePaths.parent(root, path);
    Object last = path.get(path.size() - 1);
    int action = random.nextInt(10);
    if (parent instanceof ObjectNode object) {
      String key = (String) last;
      if (action == 0) {
        object.remove(key);
      } else if (action == 1) {
        object.set(Shapes.string(random), Shapes.any(random, 2));
      } else {
        object.set(key, Shapes.any(random, 3));
      }
    } else if (parent instanceof ArrayNode array) {
      int index = (Integer) last;
      if (action == 0) {
        array.remove(index);
      } else if (action == 1) {
        array.insert(index, Shapes.any(random, 2));
      } else {
        array.set(index, Shapes.any(random, 3));
      }
    }
  }

  private static Case json(
      long seed,
      String kind,
      Endpoint endpoint,
      String contentType,
      ObjectNode review,
      JsonNode object) {
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(review);
    } catch (RuntimeException e) {
      // e.g. a lone surrogate the writer refuses: send it byte-for-byte as the escape sequence
      // instead
      body = review.toString().getBytes(StandardCharsets.UTF_8);
    }
    JsonNode request = review.path("request");
    String uid =
        request.path("uid").isString() && !request.path("uid").stringValue().isEmpty()
            ? request.path("uid").stringValue()
            : null;
    JsonNode apiVersion = review.path("apiVersion");
    return new Case(
        seed,
        kind,
        endpoint,
        contentType,
        body,
        uid,
        apiVersion.isString() ? apiVersion.stringValue() : null,
        object);
  }

  private static Case bytes(
      long seed, String kind, Endpoint endpoint, String contentType, byte[] body) {
    return new Case(seed, kind, endpoint, contentType, body, null, null, null);
  }

  /** Values of every JSON type, including the awkward ones. */
  static final class Shapes {
    private Shapes() {}

    static JsonNode any(Random random, int depth) {
      int pick = random.nextInt(depth > 0 ? 16 : 12);
      return switch (pick) {
        case 0 -> Json.NODES.nullNode();
        case 1 -> Json.NODES.booleanNode(random.nextBoolean());
        case 2 -> Json.NODES.numberNode(random.nextInt());
        case 3 -> Json.NODES.numberNode(random.nextLong());
        case 4 -> Json.NODES.numberNode(random.nextGaussian() * 1e6);
        case 5 -> Json.NODES.numberNode(new BigInteger(200, random));
        case 6 ->
            Json.NODES.numberNode(List.of(0, -1, 80, 8080, 65535, 65536).get(random.nextInt(6)));
        case 7, 8, 9 -> Json.NODES.stringNode(string(random));
        case 10 -> Json.object();
        case 11 -> Json.array();
        case 12 -> deep(random, 1 + random.nextInt(40));
        case 13 -> {
          ArrayNode array = Json.array();
          int n = random.nextInt(6);
          for (int i = 0; i < n; i++) {
            array.add(any(random, depth - 1));
          }
          yield array;
        }
        default -> {
          ObjectNode object = Json.object();
          int n = random.nextInt(6);
          for (int i = 0; i < n; i++) {
            object.set(
                random.nextInt(3) == 0 ? string(random) : KEYS[random.nextInt(KEYS.length)],
                any(random, depth - 1));
          }
          yield object;
        }
      };
    }

    /** Keys the core reads, so random objects reach deep into the defaulters and validators. */
    private static final String[] KEYS = {
      "name",
      "namespace",
      "spec",
      "serving",
      "triggers",
      "http",
      "route",
      "gatewayRef",
      "hostnames",
      "rules",
      "matches",
      "path",
      "type",
      "value",
      "port",
      "domain",
      "clusterDomain",
      "hostTemplate",
      "pathTemplate",
      "gatewayDef",
      "gatewaySpec",
      "listeners",
      "hostname",
      "protocol",
      "metadata",
      "annotations",
      "labels",
      "build",
      "workloadRuntime",
      "version",
      "dapr",
      "engine",
      "template",
      "scaleOptions",
      "keda",
      "backendRefs",
      "filters",
      "headers",
      "method",
      "deletionTimestamp",
      "allowedRoutes"
    };

    private static final String[] ODD = {
      "",
      " ",
      "x",
      "a-function",
      "UPPER.case",
      "*.ofn.io",
      "*",
      "/",
      "//",
      "/./",
      "%2f",
      "#",
      "{{.Name}}",
      "{{.Namespace}}/{{.Name}}",
      "{{",
      "}}",
      "{{.Foo}}",
      "{{- .Name -}}",
      "{{.Name | x}}",
      "{{.Name}}.{{.Namespace}}.{{.Domain}}",
      "wasmedge",
      "WasmEdge",
      "keda",
      "knative",
      "PathPrefix",
      "Exact",
      "RegularExpression",
      "-10m",
      "1h",
      "0",
      "-1",
      "8080",
      "true",
      "null",
      "\u0000",
      "\ud800",
      "\udc00x",
      "é",
      "日本語",
      "😀",
      "\u202e",
      "a\nb",
      "\t",
      "\\",
      "\"",
      "openfunction",
      "ofn-http-internal",
      "HTTP",
      "HTTPS",
      "2024-01-01T00:00:00Z",
      "ofn.io/webhook",
      "parity-only",
      "networking.openfunction.io/generated-route",
      "hostnames,rules",
      "module.wasm.image/variant"
    };

    static String string(Random random) {
      int pick = random.nextInt(20);
      if (pick < 14) {
        return ODD[random.nextInt(ODD.length)];
      }
      if (pick < 17) {
        StringBuilder out = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
          out.append(
              (char)
                  (random.nextBoolean() ? 0x20 + random.nextInt(0x5f) : random.nextInt(0x10000)));
        }
        return out.toString();
      }
      if (pick < 19) {
        return "a".repeat(200 + random.nextInt(5000)) + ".ofn.io";
      }
      // huge: a long name or template (kept well under the body limit, most of the time)
      return random.nextInt(50) == 0
          ? "{{.Name}}".repeat(100_000)
          : "x.".repeat(20_000 + random.nextInt(100_000));
    }

    /** Arrays and objects nested {@code depth} levels. */
    static JsonNode deep(Random random, int depth) {
      JsonNode node = Json.NODES.stringNode("bottom");
      for (int i = 0; i < depth; i++) {
        if (random.nextBoolean()) {
          node = Json.array().add(node);
        } else {
          ObjectNode object = Json.object();
          object.set(KEYS[random.nextInt(KEYS.length)], node);
          node = object;
        }
      }
      return node;
    }
  }

  /** Byte-level damage to an encoded review. */
  static final class Bytes {
    private static final byte[][] BAD_UTF8 = {
      {(byte) 0xff},
      {(byte) 0xc0, (byte) 0x80},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0x80},
      {(byte) 0xe2, (byte) 0x82},
      {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0xc3, (byte) 0x28},
      {0}
    };

    private Bytes() {}

    static byte[] damage(Random random, byte[] clean) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(clean.length + 16);
      switch (random.nextInt(6)) {
        case 0, 1 -> {
          // bad UTF-8 inside a string value (right after a quote), so the parser meets it
          // mid-string
          int at = quoteAfter(clean, random.nextInt(clean.length));
          out.write(clean, 0, at);
          out.writeBytes(BAD_UTF8[random.nextInt(BAD_UTF8.length)]);
          out.write(clean, at, clean.length - at);
        }
        case 2 -> out.write(clean, 0, random.nextInt(clean.length));
        case 3 -> {
          byte[] copy = clean.clone();
          int flips = 1 + random.nextInt(4);
          for (int i = 0; i < flips; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
          }
          out.writeBytes(copy);
        }
        case 4 -> {
          byte[] noise = new byte[random.nextInt(2000)];
          random.nextBytes(noise);
          out.writeBytes(noise);
        }
        default -> {
          out.writeBytes(clean);
          out.writeBytes(
              random.nextBoolean()
                  ? " {\"trailing\":1}".getBytes(StandardCharsets.UTF_8)
                  : new byte[] {'x'});
        }
      }
      return out.toByteArray();
    }

    private static int quoteAfter(byte[] bytes, int from) {
      for (int i = from; i < bytes.length; i++) {
        if (bytes[i] == '"') {
          return i + 1;
        }
      }
      return from;
    }
  }
}
