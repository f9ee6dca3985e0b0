package dev.ofn.webhook.check;

import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The fields the API server would refuse: each object is walked against the OpenAPI v3 schema of
 * its CRD (the CRDs this project ships in {@code manifests/crds}, packaged in the jar under {@code
 * crds/} and listed by their kustomization), as kubectl's strict field validation (the default
 * since 1.27) does. A small walker rather than a JSON Schema validator: what matters are
 * Kubernetes' structural-schema rules, which no JSON Schema library knows — {@code
 * x-kubernetes-preserve-unknown-fields}, {@code x-kubernetes-embedded-resource} (apiVersion, kind
 * and metadata allowed), {@code x-kubernetes-int-or-string}, and the root's metadata, which the API
 * server checks as ObjectMeta, not by the CRD.
 */
final class CrdSchemas {
  private static final String DIR = "/crds/";

  /** {@code group/version/Kind} → the version's openAPIV3Schema. */
  private final Map<String, JsonNode> schemas;

  private CrdSchemas(Map<String, JsonNode> schemas) {
    this.schemas = schemas;
  }

  private static final class Shipped {
    static final CrdSchemas INSTANCE = load();
  }

  /** The CRDs of the jar, read once. */
  static CrdSchemas shipped() {
    return Shipped.INSTANCE;
  }

  private static CrdSchemas load() {
    Map<String, JsonNode> schemas = new HashMap<>();
    JsonNode kustomization = Json.YAML.readTree(resource("kustomization.yaml"));
    for (JsonNode file : kustomization.path("resources")) {
      JsonNode crd = Json.YAML.readTree(resource(file.asString()));
      String group = crd.path("spec").path("group").asString("");
      String kind = crd.path("spec").path("names").path("kind").asString("");
      for (JsonNode version : crd.path("spec").path("versions")) {
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        if (schema.isObject()) {
          schemas.put(group + "/" + version.path("name").asString("") + "/" + kind, schema);
        }
      }
    }
    return new CrdSchemas(schemas);
  }

  private static String resource(String name) {
    try (InputStream in = CrdSchemas.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + DIR + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code path: unknown field} for each field of {@code object} its CRD's schema does not declare;
   * empty when the object has none or no CRD of ours describes it.
   */
  List<String> unknownFields(JsonNode object) {
    String apiVersion = Json.stringOr(object, "", "apiVersion");
    String key =
        (apiVersion.contains("/") ? apiVersion : "/" + apiVersion)
            + "/"
            + Json.stringOr(object, "", "kind");
    JsonNode schema = schemas.get(key);
    List<String> out = new ArrayList<>();
    if (schema == null || !object.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String name = field.getKey();
      if (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata")) {
        continue; // checked by the API server itself (ObjectMeta), not by the CRD
      }
      JsonNode declared = schema.path("properties").path(name);
      if (declared.isMissingNode()) {
        out.add(name + ": unknown field");
      } else {
        walk(declared, field.getValue(), name, out);
      }
    }
    return out;
  }

  private static void walk(JsonNode schema, JsonNode value, String path, List<String> out) {
    if (value.isArray()) {
      JsonNode items = schema.path("items");
      if (items.isObject()) {
        for (int i = 0; i < value.size(); i++) {
          walk(items, value.get(i), path + "[" + i + "]", out);
        }
      }
      return;
    }
    if (!value.isObject() || schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return;
    }
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    boolean embedded = schema.path("x-kubernetes-embedded-resource").asBoolean(false);
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String name = field.getKey();
      String child = path + "." + name;
      JsonNode declared = properties.path(name);
      if (!declared.isMissingNode()) {
        walk(declared, field.getValue(), child, out);
      } else if (additional.isObject()) {
        walk(additional, field.getValue(), child, out);
      } else if (embedded
          && (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata"))) {
        continue; // an embedded object's own apiVersion, kind and metadata
      } else if (!preserve && !additional.asBoolean(false)) {
        out.add(child + ": unknown field");
      }
    }
  }
}
