package dev.ofn.webhook.validation;

import static dev.ofn.webhook.validation.FunctionBuildChecks.LESS_THAN_ZERO;
import static dev.ofn.webhook.validation.FunctionBuildChecks.negative;

import java.util.List;
import java.util.OptionalLong;

/**
 * OpenFunction's checks on {@code spec.serving.scaleOptions} (rows #12–#24; the scaledJob rows are
 * in {@link KedaScaledJobChecks}), all collected.
 */
final class FunctionScaleChecks {
  static final List<String> SELECT_POLICIES = List.of("Max", "Min", "Disabled");
  static final List<String> POLICY_TYPES = List.of("Percent", "Pods");

  /** OpenFunction's stand-in for an absent maxReplicas in the min/max comparison. */
  static final long DEFAULT_MAX_REPLICAS = 10;

  private FunctionScaleChecks() {}

  static void check(Errors errors, At scaleOptions) {
    if (!errors.object(scaleOptions)) {
      return;
    }
    At minAt = scaleOptions.get("minReplicas");
    At maxAt = scaleOptions.get("maxReplicas");
    OptionalLong min = errors.int32(minAt);
    OptionalLong max = errors.int32(maxAt);
    if (min.orElse(0) < 0) { // #12
      errors.add(FieldError.invalid(minAt.path(), min.getAsLong(), LESS_THAN_ZERO));
    }
    if (max.orElse(0) < 0) { // #13
      errors.add(FieldError.invalid(maxAt.path(), max.getAsLong(), LESS_THAN_ZERO));
    }
    long minValue = min.orElse(0);
    long maxValue = max.orElse(DEFAULT_MAX_REPLICAS);
    // #14, only between sane bounds: with a negative bound #12/#13 already say what is wrong
    if (minValue >= 0 && maxValue >= 0 && minValue > maxValue) {
      errors.add(FieldError.invalid(minAt.path(), minValue, "cannot be greater than maxReplicas"));
    }
    At keda = scaleOptions.get("keda");
    if (errors.object(keda)) {
      keda(errors, keda);
    }
  }

  private static void keda(Errors errors, At keda) {
    At job = keda.get("scaledJob");
    At object = keda.get("scaledObject");
    At http = keda.get("httpScaledObject");
    int enabled = (job.present() ? 1 : 0) + (object.present() ? 1 : 0) + (http.present() ? 1 : 0);
    if (enabled > 1) { // #15
      errors.add(
          FieldError.required(
              keda.path(),
              "Exactly one of scaledJob, scaledObject and httpScaledObject should be enabled"));
    }
    if (errors.object(http)) {
      negative(errors, http.get("targetPendingRequests"), LESS_THAN_ZERO); // #16
      negative(errors, http.get("cooldownPeriod"), LESS_THAN_ZERO); // #17
    }
    if (errors.object(object)) {
      negative(errors, object.get("pollingInterval"), LESS_THAN_ZERO); // #18
      negative(errors, object.get("cooldownPeriod"), LESS_THAN_ZERO);
      At advanced = object.get("advanced");
      if (errors.object(advanced)) {
        At hpa = advanced.get("horizontalPodAutoscalerConfig");
        At behavior = hpa.get("behavior");
        if (errors.object(hpa) && errors.object(behavior)) {
          scalingRules(errors, behavior.get("scaleUp"));
          scalingRules(errors, behavior.get("scaleDown"));
        }
      }
      fallback(errors, object.get("fallback"));
    }
    if (errors.object(job)) {
      KedaScaledJobChecks.check(errors, job);
    }
  }

  /** #19–#22 on one of {@code behavior.scaleUp} / {@code behavior.scaleDown}. */
  private static void scalingRules(Errors errors, At rules) {
    if (!errors.object(rules)) {
      return;
    }
    At window = rules.get("stabilizationWindowSeconds");
    errors
        .int32(window)
        .ifPresent(
            seconds -> {
              if (seconds < 0 || seconds > 3600) {
                errors.add(
                    FieldError.invalid(
                        window.path(),
                        seconds,
                        "must be greater than or equal to 0 less than 3600"));
              }
            });
    At select = rules.get("selectPolicy");
    errors
        .string(select)
        .filter(s -> !SELECT_POLICIES.contains(s))
        .ifPresent(s -> errors.add(FieldError.unsupported(select.path(), s, SELECT_POLICIES)));
    for (At policy : errors.array(rules.get("policies"))) {
      if (!errors.object(policy)) {
        continue;
      }
      // a Go string field: absent reads as "", which is not a policy type
      At type = policy.get("type");
      String value = errors.string(type).orElse(type.present() ? null : "");
      if (value != null && !POLICY_TYPES.contains(value)) {
        errors.add(FieldError.unsupported(type.path(), value, POLICY_TYPES));
      }
      negative(errors, policy.get("periodSeconds"), "must be greater than 0");
    }
  }

  /** #23, #24: Go int32 fields, so an absent failureThreshold reads as 0 and is refused. */
  private static void fallback(Errors errors, At fallback) {
    if (!errors.object(fallback)) {
      return;
    }
    At threshold = fallback.get("failureThreshold");
    OptionalLong value = errors.int32(threshold);
    if ((value.isPresent() || !threshold.present()) && value.orElse(0) < 1) {
      errors.add(
          FieldError.invalid(
              threshold.path(), value.orElse(0), "must be greater than or equal to 1"));
    }
    negative(errors, fallback.get("replicas"), "must be greater than or equal to 0");
  }
}
