package dev.ofn.webhook.validation;

import java.util.List;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/**
 * Validation of a Function ({@code core.openfunction.io/v1beta2}). Parity: OpenFunction's checks
 * (docs/behaviour.md §5, the parity checks table, rows referenced as #n), which stop at the first
 * failure there and are all collected here. Under {@link Checks#FULL} also the route
 * (docs/behaviour.md §5 beyond); route conflicts are the routing piece's.
 *
 * <p>A field is type-checked by the checks that read it: a wrong JSON type is one field error,
 * never an exception, and PARITY (which reads fewer fields) reports fewer of them.
 */
public final class FunctionValidator {
  static final List<String> ENGINES = List.of("knative", "keda");

  private FunctionValidator() {}

  public static List<FieldError> validate(JsonNode function, Checks checks) {
    Errors errors = new Errors();
    At root = At.root(function);
    if (root.present() && !root.node().isObject()) {
      errors.wrongType(root, "object");
      return errors.toList();
    }
    At spec = root.get("spec");
    if (spec.present() && !errors.object(spec)) {
      return errors.toList();
    }
    // #1
    At image = spec.get("image");
    if (errors.string(image).orElse("").isEmpty()
        && (!image.present() || image.node().isString())) {
      errors.add(FieldError.required("spec.image", "must be specified"));
    }
    At build = spec.get("build");
    if (build.present()) {
      imageCredentials(errors, spec.get("imageCredentials"));
      if (errors.object(build)) {
        FunctionBuildChecks.check(errors, build);
      }
    }
    At serving = spec.get("serving");
    if (serving.present() && errors.object(serving)) {
      FunctionScaleChecks.check(errors, serving.get("scaleOptions"));
      http(errors, serving.get("triggers"), checks, namespaceOf(function));
    }
    // #33
    if (!build.present() && !serving.present()) {
      errors.add(
          FieldError.required(
              "spec.serving", "must be specified when `spec.build` is not enabled"));
    }
    return errors.toList();
  }

  /** #2: credentials given without a name, when a build would push with them. */
  private static void imageCredentials(Errors errors, At credentials) {
    if (errors.object(credentials)) {
      At name = credentials.get("name");
      if (errors.string(name).orElse("").isEmpty() && (!name.present() || name.node().isString())) {
        errors.add(
            FieldError.required(
                "spec.imageCredentials.name",
                "must be specified when `spec.build.imageCredentials` is enabled"));
      }
    }
  }

  private static String namespaceOf(JsonNode function) {
    JsonNode namespace = function.path("metadata").path("namespace");
    return namespace.isString() && !namespace.stringValue().isEmpty()
        ? namespace.stringValue()
        : "default";
  }

  private static void http(Errors errors, At triggers, Checks checks, String namespace) {
    if (!errors.object(triggers)) {
      return;
    }
    At http = triggers.get("http");
    if (!errors.object(http)) {
      return;
    }
    // #32: OpenFunction tests for a set engine, so an empty string is refused too
    At engine = http.get("engine");
    errors
        .string(engine)
        .filter(e -> !ENGINES.contains(e))
        .ifPresent(
            e ->
                errors.add(
                    FieldError.invalid(
                        engine.path(),
                        e,
                        "Unknown engine type, supported engines include knative and keda")));
    if (checks.beyond()) {
      port(errors, http.get("port"));
      FunctionRouteChecks.check(errors, http.get("route"), namespace);
    }
  }

  /**
   * 0 is OpenFunction's "default port" (8080), so it passes (the defaulter replaces it), and the
   * message says so: the apiserver's range wording with the range we accept.
   */
  private static void port(Errors errors, At at) {
    OptionalLong port = errors.int32(at);
    if (port.isPresent() && (port.getAsLong() < 0 || port.getAsLong() > 65535)) {
      errors.add(
          FieldError.invalid(
              at.path(), port.getAsLong(), "must be between 0 and 65535, inclusive"));
    }
  }
}
