package dev.ofn.webhook.validation;

import static dev.ofn.webhook.validation.Trees.KEDA_HTTP;
import static dev.ofn.webhook.validation.Trees.SERVING_ONLY;
import static dev.ofn.webhook.validation.Trees.WASMEDGE;
import static dev.ofn.webhook.validation.Trees.fixture;
import static dev.ofn.webhook.validation.Trees.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/behaviour.md §5, the parity checks table, row by row: the same exact lines under PARITY and
 * FULL.
 */
class FunctionValidatorTest {
  static final String SO = "spec.serving.scaleOptions";
  static final String KEDA = SO + ".keda";
  static final String OBJ = KEDA + ".scaledObject";
  static final String JOB = KEDA + ".scaledJob";
  static final String BEHAVIOR = OBJ + ".advanced.horizontalPodAutoscalerConfig.behavior";
  static final String STRATEGY = JOB + ".scalingStrategy";

  record Case(String name, String file, String[] edits, List<String> lines) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case of(String name, String file, List<String> lines, String... edits) {
    return new Case(name, file, edits, lines);
  }

  /**
   * The keda sample with its httpScaledObject replaced by {@code kind} (scaledObject / scaledJob).
   */
  static Case keda(String name, String kind, List<String> lines, String... edits) {
    String[] all =
        Stream.concat(
                Stream.of(KEDA + ".httpScaledObject", null, KEDA + "." + kind, "{}"),
                Stream.of(edits))
            .toArray(String[]::new);
    return new Case(name, KEDA_HTTP, all, lines);
  }

  static Stream<Case> rows() {
    return Stream.of(
        of(
            "#1 image absent",
            SERVING_ONLY,
            List.of("spec.image: Required value: must be specified"),
            "spec.image",
            null),
        of(
            "#1 image empty",
            SERVING_ONLY,
            List.of("spec.image: Required value: must be specified"),
            "spec.image",
            "''"),
        of(
            "#2 imageCredentials without name",
            WASMEDGE,
            List.of(
                "spec.imageCredentials.name: Required value: must be "
                    + "specified when `spec.build.imageCredentials` is enabled"),
            "spec.imageCredentials.name",
            "''"),
        of(
            "#2 imageCredentials without name, no build",
            SERVING_ONLY,
            List.of(),
            "spec.imageCredentials",
            "{}"),
        of(
            "#3 neither builder nor dockerfile",
            WASMEDGE,
            List.of(
                "spec.build.builder: Required value: must be "
                    + "specified when `spec.build.dockerfile` is not enabled"),
            "spec.build.dockerfile",
            null),
        of(
            "#3 builder instead of dockerfile",
            WASMEDGE,
            List.of(),
            "spec.build.dockerfile",
            null,
            "spec.build.builder",
            "openfunction/builder-go:latest"),
        of(
            "#4 no srcRepo",
            WASMEDGE,
            List.of(
                "spec.build.srcRepo: Required value: must be specified when "
                    + "`spec.build` enabled"),
            "spec.build.srcRepo",
            null),
        of(
            "#5 srcRepo without url or bundleContainer",
            WASMEDGE,
            List.of(
                "spec.build.srcRepo: Required value: must "
                    + "specify one of: `url` or `bundleContainer`"),
            "spec.build.srcRepo.url",
            null),
        of(
            "#5 bundleContainer instead of url",
            WASMEDGE,
            List.of(),
            "spec.build.srcRepo.url",
            null,
            "spec.build.srcRepo.bundleContainer",
            "{image: openfunction/sample-source:latest}"),
        of(
            "#6 negative timeout, printed like Go",
            WASMEDGE,
            List.of("spec.build.timeout: Invalid value: -10m0s: " + "cannot be less than 0"),
            "spec.build.timeout",
            "-10m"),
        of("#6 minus zero is not negative", WASMEDGE, List.of(), "spec.build.timeout", "-0s"),
        of(
            "#6 not a duration",
            WASMEDGE,
            List.of(
                "spec.build.timeout: Invalid value: \"10 minutes\": must be a "
                    + "duration such as \"1h30m\" or \"10m\""),
            "spec.build.timeout",
            "10 minutes"),
        of(
            "#7 successfulBuildsHistoryLimit",
            WASMEDGE,
            List.of(
                "spec.build.successfulBuildsHistoryLimit: Invalid "
                    + "value: -1: cannot be less than 0"),
            "spec.build.successfulBuildsHistoryLimit",
            "-1"),
        of(
            "#8 failedBuildsHistoryLimit",
            WASMEDGE,
            List.of(
                "spec.build.failedBuildsHistoryLimit: Invalid value: -2: "
                    + "cannot be less than 0"),
            "spec.build.failedBuildsHistoryLimit",
            "-2"),
        of(
            "#9 builderMaxAge",
            WASMEDGE,
            List.of(
                "spec.build.builderMaxAge: Invalid value: -1h30m0s: cannot be less " + "than 0"),
            "spec.build.builderMaxAge",
            "-1.5h"),
        of(
            "#10 strategy kind",
            WASMEDGE,
            List.of(
                "spec.build.shipwright.strategy.kind: Unsupported value: "
                    + "\"Buildstrategy\": supported values: \"BuildStrategy\", \"ClusterBuildStrategy\""),
            "spec.build.shipwright.strategy",
            "{name: buildah, kind: Buildstrategy}"),
        of(
            "#11 shipwright timeout",
            WASMEDGE,
            List.of(
                "spec.build.shipwright.timeout: Invalid value: -5s: cannot be " + "less than 0"),
            "spec.build.shipwright.timeout",
            "-5s"),
        of(
            "#12 minReplicas",
            KEDA_HTTP,
            List.of(SO + ".minReplicas: Invalid value: -1: cannot be less than 0"),
            SO + ".minReplicas",
            "-1"),
        of(
            "#13 maxReplicas",
            KEDA_HTTP,
            List.of(SO + ".maxReplicas: Invalid value: -1: cannot be less than 0"),
            SO + ".maxReplicas",
            "-1"),
        of(
            "#14 min above max",
            KEDA_HTTP,
            List.of(SO + ".minReplicas: Invalid value: 5: cannot be greater than " + "maxReplicas"),
            SO + ".minReplicas",
            "5",
            SO + ".maxReplicas",
            "2"),
        of(
            "#14 min above the absent max (10)",
            KEDA_HTTP,
            List.of(
                SO + ".minReplicas: Invalid value: 11: cannot be " + "greater than maxReplicas"),
            SO + ".minReplicas",
            "11",
            SO + ".maxReplicas",
            null),
        of(
            "#15 two keda kinds",
            KEDA_HTTP,
            List.of(
                KEDA
                    + ": Required value: Exactly one of scaledJob, scaledObject "
                    + "and httpScaledObject should be enabled"),
            KEDA + ".scaledObject",
            "{pollingInterval: 30}"),
        of(
            "#16 targetPendingRequests",
            KEDA_HTTP,
            List.of(
                KEDA
                    + ".httpScaledObject.targetPendingRequests: Invalid "
                    + "value: -100: cannot be less than 0"),
            KEDA + ".httpScaledObject.targetPendingRequests",
            "-100"),
        of(
            "#17 httpScaledObject cooldownPeriod (the right path)",
            KEDA_HTTP,
            List.of(
                KEDA
                    + ".httpScaledObject."
                    + "cooldownPeriod: Invalid value: -60: cannot be less than 0"),
            KEDA + ".httpScaledObject.cooldownPeriod",
            "-60"),
        keda(
            "#18 scaledObject pollingInterval and cooldownPeriod",
            "scaledObject",
            List.of(
                OBJ + ".cooldownPeriod: Invalid value: -2: cannot be less than 0",
                OBJ + ".pollingInterval: Invalid value: -1: cannot be less than 0"),
            OBJ + ".pollingInterval",
            "-1",
            OBJ + ".cooldownPeriod",
            "-2"),
        keda(
            "#19 stabilizationWindowSeconds",
            "scaledObject",
            List.of(
                BEHAVIOR
                    + ".scaleDown.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to 0 "
                    + "less than 3600",
                BEHAVIOR
                    + ".scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be greater than or equal to 0 "
                    + "less than 3600"),
            BEHAVIOR + ".scaleUp.stabilizationWindowSeconds",
            "3601",
            BEHAVIOR + ".scaleDown.stabilizationWindowSeconds",
            "-1"),
        keda(
            "#19 bounds are inclusive",
            "scaledObject",
            List.of(),
            BEHAVIOR + ".scaleUp.stabilizationWindowSeconds",
            "3600",
            BEHAVIOR + ".scaleDown.stabilizationWindowSeconds",
            "0"),
        keda(
            "#20 selectPolicy",
            "scaledObject",
            List.of(
                BEHAVIOR
                    + ".scaleUp.selectPolicy: Unsupported value: "
                    + "\"Maximum\": supported values: \"Max\", \"Min\", \"Disabled\""),
            BEHAVIOR + ".scaleUp.selectPolicy",
            "Maximum"),
        keda(
            "#21 policy type",
            "scaledObject",
            List.of(
                BEHAVIOR
                    + ".scaleDown.policies[1].type: Unsupported value: "
                    + "\"Replicas\": supported values: \"Percent\", \"Pods\""),
            BEHAVIOR + ".scaleDown.policies",
            "[{type: Pods, value: 1, periodSeconds: 60}, "
                + "{type: Replicas, value: 1, periodSeconds: 60}]"),
        keda(
            "#22 policy periodSeconds",
            "scaledObject",
            List.of(
                BEHAVIOR
                    + ".scaleUp.policies[0].periodSeconds: "
                    + "Invalid value: -15: must be greater than 0"),
            BEHAVIOR + ".scaleUp.policies",
            "[{type: Percent, value: 100, periodSeconds: -15}]"),
        keda(
            "#23 fallback failureThreshold",
            "scaledObject",
            List.of(
                OBJ
                    + ".fallback.failureThreshold: Invalid "
                    + "value: 0: must be greater than or equal to 1"),
            OBJ + ".fallback",
            "{failureThreshold: 0, replicas: 1}"),
        keda(
            "#24 fallback replicas",
            "scaledObject",
            List.of(
                OBJ
                    + ".fallback.replicas: Invalid value: -1: must be "
                    + "greater than or equal to 0"),
            OBJ + ".fallback",
            "{failureThreshold: 3, replicas: -1}"),
        keda(
            "#25 restartPolicy",
            "scaledJob",
            List.of(
                JOB
                    + ".restartPolicy: Unsupported value: \"Sometimes\": "
                    + "supported values: \"Always\", \"OnFailure\", \"Never\""),
            JOB + ".restartPolicy",
            "Sometimes"),
        keda(
            "#26 scaledJob limits",
            "scaledJob",
            List.of(
                JOB + ".failedJobsHistoryLimit: Invalid value: -3: must not be less than 0",
                JOB + ".pollingInterval: Invalid value: -1: must not be less than 0",
                JOB + ".successfulJobsHistoryLimit: Invalid value: -2: must not be less than 0"),
            JOB + ".pollingInterval",
            "-1",
            JOB + ".successfulJobsHistoryLimit",
            "-2",
            JOB + ".failedJobsHistoryLimit",
            "-3"),
        keda(
            "#27 strategy",
            "scaledJob",
            List.of(
                STRATEGY
                    + ".strategy: Unsupported value: \"eager\": supported "
                    + "values: \"default\", \"custom\", \"accurate\""),
            STRATEGY + ".strategy",
            "eager"),
        keda(
            "#28-29 custom without its fields",
            "scaledJob",
            List.of(
                STRATEGY
                    + ".customScalingQueueLengthDeduction: Required value: must be specified when "
                    + "`strategy.Strategy` is custom",
                STRATEGY
                    + ".customScalingRunningJobPercentage: Required value: must be specified when "
                    + "`strategy.Strategy` is custom"),
            STRATEGY + ".strategy",
            "custom"),
        keda(
            "#28-29 custom with its fields",
            "scaledJob",
            List.of(),
            STRATEGY,
            "{strategy: custom, "
                + "customScalingQueueLengthDeduction: 1, customScalingRunningJobPercentage: '0.5 %'}"),
        keda(
            "#30 customScalingQueueLengthDeduction",
            "scaledJob",
            List.of(
                STRATEGY
                    + ".customScalingQueueLength"
                    + "Deduction: Invalid value: -1: cannot be less than 0"),
            STRATEGY + ".customScalingQueueLengthDeduction",
            "-1"),
        keda(
            "#31 percentage",
            "scaledJob",
            List.of(
                STRATEGY
                    + ".customScalingRunningJobPercentage: Invalid value: "
                    + "\"50\": is not a valid percentage value"),
            STRATEGY + ".customScalingRunningJobPercentage",
            "'50'"),
        keda(
            "#31 percentage with a line break",
            "scaledJob",
            List.of(
                STRATEGY
                    + ".customScalingRunningJobPercentage: "
                    + "Invalid value: \"50%\\n\": is not a valid percentage value"),
            STRATEGY + ".customScalingRunningJobPercentage",
            "\"50%\\n\""),
        of(
            "#32 engine",
            SERVING_ONLY,
            List.of(
                "spec.serving.triggers.http.engine: Invalid value: \"kourier\": Unknown "
                    + "engine type, supported engines include knative and keda"),
            "spec.serving.triggers.http.engine",
            "kourier"),
        of("#32 knative", SERVING_ONLY, List.of(), "spec.serving.triggers.http.engine", "knative"),
        of(
            "#33 neither build nor serving",
            SERVING_ONLY,
            List.of(
                "spec.serving: Required value: must be specified "
                    + "when `spec.build` is not enabled"),
            "spec.serving",
            null),
        of("#33 build only", WASMEDGE, List.of(), "spec.serving", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void parityRows(Case c) {
    for (Checks checks : Checks.values()) {
      assertEquals(
          c.lines(),
          lines(FunctionValidator.validate(fixture(c.file(), c.edits()), checks)),
          checks.name());
    }
  }

  @ParameterizedTest
  @EnumSource(Checks.class)
  void fixturesAreClean(Checks checks) {
    for (String file : List.of(SERVING_ONLY, KEDA_HTTP, WASMEDGE)) {
      assertEquals(List.of(), FunctionValidator.validate(fixture(file), checks), file);
    }
  }

  @Test
  void everyErrorIsCollectedAndRenderedInPathOrder() {
    var errors =
        FunctionValidator.validate(
            fixture(
                WASMEDGE,
                "spec.image",
                null,
                "spec.imageCredentials.name",
                "''",
                "spec.build.srcRepo",
                null,
                "spec.build.dockerfile",
                null,
                "spec.build.timeout",
                "-1s",
                "spec.serving.scaleOptions.minReplicas",
                "20",
                "spec.serving.triggers.http.engine",
                "x"),
            Checks.PARITY);
    assertEquals(
        String.join(
            "\n",
            "spec.build.builder: Required value: must be specified when `spec.build.dockerfile` is not enabled",
            "spec.build.srcRepo: Required value: must be specified when `spec.build` enabled",
            "spec.build.timeout: Invalid value: -1s: cannot be less than 0",
            "spec.image: Required value: must be specified",
            "spec.imageCredentials.name: Required value: must be specified when `spec.build.imageCredentials` is enabled",
            "spec.serving.scaleOptions.minReplicas: Invalid value: 20: cannot be greater than maxReplicas",
            "spec.serving.triggers.http.engine: Invalid value: \"x\": Unknown engine type, supported engines include "
                + "knative and keda"),
        FieldErrors.message(errors));
  }

  /** The port range the message names is the one accepted: 0 is the default port (8080). */
  @Test
  void thePortMessageNamesTheRangeThatIsAccepted() {
    String port = "spec.serving.triggers.http.port";
    assertEquals(
        List.of(),
        lines(FunctionValidator.validate(fixture(SERVING_ONLY, port, "0"), Checks.FULL)));
    assertEquals(
        List.of(port + ": Invalid value: 65536: must be between 0 and 65535, inclusive"),
        lines(FunctionValidator.validate(fixture(SERVING_ONLY, port, "65536"), Checks.FULL)));
    assertEquals(
        List.of(port + ": Invalid value: -1: must be between 0 and 65535, inclusive"),
        lines(FunctionValidator.validate(fixture(SERVING_ONLY, port, "-1"), Checks.FULL)));
  }

  /** Negative bounds are reported as such; comparing them would only add a confusing line. */
  @Test
  void negativeBoundsAreNotAlsoCompared() {
    assertEquals(
        List.of(
            SO + ".maxReplicas: Invalid value: -2: cannot be less than 0",
            SO + ".minReplicas: Invalid value: -1: cannot be less than 0"),
        lines(
            FunctionValidator.validate(
                fixture(KEDA_HTTP, SO + ".minReplicas", "-1", SO + ".maxReplicas", "-2"),
                Checks.PARITY)));
  }

  static Stream<Case> wrongTypes() {
    return Stream.of(
        of(
            "spec",
            SERVING_ONLY,
            List.of("spec: Invalid value: \"array\": must be of type object"),
            "spec",
            "[]"),
        of(
            "image",
            SERVING_ONLY,
            List.of("spec.image: Invalid value: 5: must be of type string"),
            "spec.image",
            "5"),
        of(
            "build",
            WASMEDGE,
            List.of("spec.build: Invalid value: \"x\": must be of type object"),
            "spec.build",
            "x"),
        of(
            "minReplicas",
            KEDA_HTTP,
            List.of(SO + ".minReplicas: Invalid value: \"abc\": must be of type integer"),
            SO + ".minReplicas",
            "abc"),
        of(
            "maxReplicas",
            KEDA_HTTP,
            List.of(SO + ".maxReplicas: Invalid value: 2.5: must be of type integer"),
            SO + ".maxReplicas",
            "2.5"),
        of(
            "cooldownPeriod",
            KEDA_HTTP,
            List.of(
                KEDA
                    + ".httpScaledObject.cooldownPeriod: Invalid value: "
                    + "9999999999: must fit in a 32-bit integer"),
            KEDA + ".httpScaledObject.cooldownPeriod",
            "9999999999"),
        of(
            "timeout",
            WASMEDGE,
            List.of("spec.build.timeout: Invalid value: 600: must be of type string"),
            "spec.build.timeout",
            "600"),
        of(
            "policies",
            KEDA_HTTP,
            List.of(
                BEHAVIOR
                    + ".scaleUp.policies: Invalid value: \"object\": must be of type "
                    + "array"),
            KEDA + ".httpScaledObject",
            null,
            BEHAVIOR + ".scaleUp.policies",
            "{type: Pods}"),
        of(
            "engine",
            SERVING_ONLY,
            List.of(
                "spec.serving.triggers.http.engine: Invalid value: true: must be of type "
                    + "string"),
            "spec.serving.triggers.http.engine",
            "true"),
        of(
            "triggers",
            SERVING_ONLY,
            List.of("spec.serving.triggers: Invalid value: \"array\": must be of type object"),
            "spec.serving.triggers",
            "[http]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongTypes")
  void wrongTypesAreFieldErrors(Case c) {
    for (Checks checks : Checks.values()) {
      assertEquals(
          c.lines(),
          lines(FunctionValidator.validate(fixture(c.file(), c.edits()), checks)),
          checks.name());
    }
  }
}
