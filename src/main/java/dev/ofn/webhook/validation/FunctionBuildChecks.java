package dev.ofn.webhook.validation;

import java.util.List;
import java.util.Optional;

/** OpenFunction's checks on {@code spec.build} (rows #3–#11), all collected. */
final class FunctionBuildChecks {
  static final List<String> STRATEGY_KINDS = List.of("BuildStrategy", "ClusterBuildStrategy");
  static final String LESS_THAN_ZERO = "cannot be less than 0";

  private FunctionBuildChecks() {}

  static void check(Errors errors, At build) {
    // #3: OpenFunction tests for nil, so an empty string counts as given
    if (!build.get("builder").present() && !build.get("dockerfile").present()) {
      errors.add(
          FieldError.required(
              "spec.build.builder",
              "must be specified when `spec.build.dockerfile` is not enabled"));
    }
    errors.string(build.get("builder"));
    errors.string(build.get("dockerfile"));
    srcRepo(errors, build.get("srcRepo"));
    duration(errors, build.get("timeout")); // #6
    negative(errors, build.get("successfulBuildsHistoryLimit"), LESS_THAN_ZERO); // #7
    negative(errors, build.get("failedBuildsHistoryLimit"), LESS_THAN_ZERO); // #8
    duration(errors, build.get("builderMaxAge")); // #9
    At shipwright = build.get("shipwright");
    if (errors.object(shipwright)) {
      At strategy = shipwright.get("strategy");
      if (errors.object(strategy)) {
        At kind = strategy.get("kind"); // #10
        errors
            .string(kind)
            .filter(k -> !STRATEGY_KINDS.contains(k))
            .ifPresent(k -> errors.add(FieldError.unsupported(kind.path(), k, STRATEGY_KINDS)));
      }
      duration(errors, shipwright.get("timeout")); // #11
    }
  }

  /** #4, #5. */
  private static void srcRepo(Errors errors, At srcRepo) {
    if (!srcRepo.present()) {
      errors.add(
          FieldError.required("spec.build.srcRepo", "must be specified when `spec.build` enabled"));
      return;
    }
    if (!errors.object(srcRepo)) {
      return;
    }
    At urlAt = srcRepo.get("url");
    // a mistyped url is reported as such, not also as missing
    boolean url =
        !errors.string(urlAt).orElse("").isEmpty() || urlAt.present() && !urlAt.node().isString();
    boolean bundle = srcRepo.get("bundleContainer").present();
    if (!url && !bundle) {
      errors.add(
          FieldError.required(
              "spec.build.srcRepo", "must specify one of: `url` or `bundleContainer`"));
    }
  }

  /** A negative Go duration; the value is printed as Go prints it ({@code -10m0s}). */
  private static void duration(Errors errors, At at) {
    Optional<String> text = errors.string(at);
    if (text.isEmpty()) {
      return;
    }
    Optional<GoDuration> duration = GoDuration.parse(text.get());
    if (duration.isEmpty()) {
      // OpenFunction fails to decode such an object at all; say why here
      errors.add(
          FieldError.invalid(
              at.path(), text.get(), "must be a duration such as \"1h30m\" or \"10m\""));
    } else if (duration.get().negative()) {
      errors.add(FieldError.invalid(at.path(), duration.get(), LESS_THAN_ZERO));
    }
  }

  /** An int32 below 0, reported with {@code detail}. Shared by the scale option rows. */
  static void negative(Errors errors, At at, String detail) {
    errors
        .int32(at)
        .ifPresent(
            value -> {
              if (value < 0) {
                errors.add(FieldError.invalid(at.path(), value, detail));
              }
            });
  }
}
