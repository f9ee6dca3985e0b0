package dev.ofn.webhook.defaulting;

import dev.ofn.webhook.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/behaviour.md §4 steps 1–3: OpenFunction v1.2's {@code Function.Default()} and {@code
 * HandleWorkloadRuntime()} on the raw tree. "Absent" is what Go decodes to nil (missing or JSON
 * null); a part of the wrong type is left alone and, where later steps depend on it, stops them (Go
 * could not have decoded it).
 */
final class FunctionParity {
  static final String DEFAULT_VERSION = "latest";
  static final int DEFAULT_PORT = 8080;
  static final String DEFAULT_GATEWAY_NAME = "openfunction";
  static final String DEFAULT_GATEWAY_NAMESPACE = "openfunction";
  static final String WASM_VARIANT_ANNOTATION = "module.wasm.image/variant";
  static final String WASM_COMPAT_SMART = "compat-smart";
  static final String WASMEDGE_RUNTIME = "wasmedge";
  static final String WASMEDGE_STRATEGY = "wasmedge";
  static final String CLUSTER_BUILD_STRATEGY = "ClusterBuildStrategy";
  static final String WASMEDGE_RUNTIME_CLASS = "openfunction-crun";

  private FunctionParity() {}

  /** Applies steps 1–3 to {@code function} in place (the caller owns this copy). */
  static void apply(ObjectNode function) {
    ObjectNode spec = Trees.objectOrCreate(function, "spec");
    if (spec == null) {
      return;
    }
    if (Trees.unsetOrEmpty(spec.get("version"))) {
      spec.put("version", DEFAULT_VERSION);
    }
    serving(spec);
    workloadRuntime(function, spec);
  }

  /**
   * Step 2. Note Go's asymmetry, kept: port 0 becomes 8080 only when there are no dapr triggers.
   */
  private static void serving(ObjectNode spec) {
    ObjectNode serving = Trees.object(spec, "serving");
    ObjectNode triggers = serving == null ? null : Trees.objectOrCreate(serving, "triggers");
    if (triggers == null) {
      return;
    }
    JsonNode dapr = triggers.get("dapr");
    if (Trees.unsetOrEmptyArray(dapr)) {
      ObjectNode http = Trees.objectOrCreate(triggers, "http");
      if (http != null && (Trees.unset(http.get("port")) || isZero(http.get("port")))) {
        http.put("port", DEFAULT_PORT);
      }
    }
    ObjectNode http = Trees.object(triggers, "http");
    if (http == null) {
      return;
    }
    if (Trees.unset(http.get("port"))) {
      http.put("port", DEFAULT_PORT);
    }
    JsonNode route = http.get("route");
    if (Trees.unset(route)) {
      http.putObject("route").set("gatewayRef", defaultGatewayRef());
    } else if (route instanceof ObjectNode routeObject
        && Trees.unset(routeObject.get("gatewayRef"))) {
      routeObject.set("gatewayRef", defaultGatewayRef());
    }
  }

  /** Step 3: WasmEdge functions need the crun runtime class and a wasm-aware build strategy. */
  private static void workloadRuntime(ObjectNode function, ObjectNode spec) {
    JsonNode metadata = function.get("metadata");
    JsonNode annotations = metadata == null ? null : metadata.get("annotations");
    if (!Trees.unset(metadata) && !metadata.isObject()
        || !Trees.unset(annotations) && !annotations.isObject()) {
      return; // Go could not decode such an object; nothing to read the variant from
    }
    if (Trees.unset(annotations) || Trees.unset(annotations.get(WASM_VARIANT_ANNOTATION))) {
      JsonNode runtime = spec.get("workloadRuntime");
      if (runtime == null
          || !runtime.isString()
          || !WASMEDGE_RUNTIME.equalsIgnoreCase(runtime.stringValue())) {
        return;
      }
      Trees.objectOrCreate(Trees.objectOrCreate(function, "metadata"), "annotations")
          .put(WASM_VARIANT_ANNOTATION, WASM_COMPAT_SMART);
    }
    ObjectNode build = Trees.object(spec, "build");
    if (build != null) {
      JsonNode shipwright = build.get("shipwright");
      if (Trees.unset(shipwright)) {
        build.putObject("shipwright").set("strategy", wasmStrategy());
      } else if (shipwright instanceof ObjectNode engine && Trees.unset(engine.get("strategy"))) {
        engine.set("strategy", wasmStrategy());
      }
    }
    ObjectNode serving = Trees.object(spec, "serving");
    if (serving != null) {
      ObjectNode servingAnnotations = Trees.objectOrCreate(serving, "annotations");
      if (servingAnnotations != null
          && Trees.unset(servingAnnotations.get(WASM_VARIANT_ANNOTATION))) {
        servingAnnotations.put(WASM_VARIANT_ANNOTATION, WASM_COMPAT_SMART);
      }
      ObjectNode template = Trees.object(serving, "template");
      if (template != null && Trees.unset(template.get("runtimeClassName"))) {
        template.put("runtimeClassName", WASMEDGE_RUNTIME_CLASS);
      }
    }
  }

  static ObjectNode defaultGatewayRef() {
    ObjectNode ref = Json.object();
    ref.put("name", DEFAULT_GATEWAY_NAME);
    ref.put("namespace", DEFAULT_GATEWAY_NAMESPACE);
    return ref;
  }

  private static ObjectNode wasmStrategy() {
    ObjectNode strategy = Json.object();
    strategy.put("name", WASMEDGE_STRATEGY);
    strategy.put("kind", CLUSTER_BUILD_STRATEGY);
    return strategy;
  }

  private static boolean isZero(JsonNode port) {
    return port.isNumber() && port.doubleValue() == 0;
  }
}
