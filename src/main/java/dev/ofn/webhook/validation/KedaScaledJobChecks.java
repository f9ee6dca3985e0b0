package dev.ofn.webhook.validation;

import static dev.ofn.webhook.validation.FunctionBuildChecks.LESS_THAN_ZERO;
import static dev.ofn.webhook.validation.FunctionBuildChecks.negative;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** OpenFunction's checks on {@code spec.serving.scaleOptions.keda.scaledJob} (rows #25–#31). */
final class KedaScaledJobChecks {
  static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  static final List<String> STRATEGIES = List.of("default", "custom", "accurate");
  static final String NOT_LESS_THAN_ZERO = "must not be less than 0";
  static final String CUSTOM_REQUIRES = "must be specified when `strategy.Strategy` is custom";

  /**
   * OpenFunction's {@code ^([0-9.]+)[ ]*%$}; matched whole, as Go's {@code $} has no line-end
   * leeway.
   */
  static final Pattern PERCENTAGE = Pattern.compile("([0-9.]+)[ ]*%");

  private KedaScaledJobChecks() {}

  static void check(Errors errors, At job) {
    At restart = job.get("restartPolicy"); // #25
    errors
        .string(restart)
        .filter(p -> !RESTART_POLICIES.contains(p))
        .ifPresent(p -> errors.add(FieldError.unsupported(restart.path(), p, RESTART_POLICIES)));
    negative(errors, job.get("pollingInterval"), NOT_LESS_THAN_ZERO); // #26
    negative(errors, job.get("successfulJobsHistoryLimit"), NOT_LESS_THAN_ZERO);
    negative(errors, job.get("failedJobsHistoryLimit"), NOT_LESS_THAN_ZERO);
    At scaling = job.get("scalingStrategy");
    if (errors.object(scaling)) {
      strategy(errors, scaling);
    }
  }

  private static void strategy(Errors errors, At scaling) {
    At strategy = scaling.get("strategy");
    String name = errors.string(strategy).orElse("");
    if (!name.isEmpty() && !STRATEGIES.contains(name)) { // #27
      errors.add(FieldError.unsupported(strategy.path(), name, STRATEGIES));
    }
    At deduction = scaling.get("customScalingQueueLengthDeduction");
    At percentage = scaling.get("customScalingRunningJobPercentage");
    Optional<String> percent = errors.string(percentage).filter(p -> !p.isEmpty());
    if (name.equals("custom")) { // #28, #29
      if (!deduction.present()) {
        errors.add(FieldError.required(deduction.path(), CUSTOM_REQUIRES));
      }
      if (percent.isEmpty() && (!percentage.present() || percentage.node().isString())) {
        errors.add(FieldError.required(percentage.path(), CUSTOM_REQUIRES));
      }
    }
    negative(errors, deduction, LESS_THAN_ZERO); // #30
    percent
        .filter(p -> !PERCENTAGE.matcher(p).matches())
        .ifPresent(
            p -> // #31
            errors.add(
                    FieldError.invalid(percentage.path(), p, "is not a valid percentage value")));
  }
}
