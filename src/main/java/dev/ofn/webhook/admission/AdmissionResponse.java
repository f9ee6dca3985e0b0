package dev.ofn.webhook.admission;

import dev.ofn.webhook.model.Warnings;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a handler decides. {@code patch} is a JSON Patch op list (null = no patch); a denial has
 * {@code code}/{@code reason}/{@code message}; {@code outcome} labels the metrics; {@code
 * routeConflicts} counts the denial's route-conflict lines (for {@code
 * ofn_webhook_route_conflicts_total}).
 */
public record AdmissionResponse(
    boolean allowed,
    int code,
    String reason,
    String message,
    JsonNode patch,
    List<String> warnings,
    Map<String, String> auditAnnotations,
    Outcome outcome,
    int routeConflicts) {

  public enum Outcome {
    ALLOWED,
    PATCHED,
    DENIED,
    ERROR
  }

  public AdmissionResponse {
    warnings = warnings.stream().map(Warnings::clip).distinct().toList();
    auditAnnotations = Map.copyOf(auditAnnotations);
  }

  public static AdmissionResponse allow(List<String> warnings) {
    return new AdmissionResponse(
        true, 200, null, null, null, warnings, Map.of(), Outcome.ALLOWED, 0);
  }

  public static AdmissionResponse patch(JsonNode patch, List<String> warnings) {
    return new AdmissionResponse(
        true, 200, null, null, patch, warnings, Map.of(), Outcome.PATCHED, 0);
  }

  public static AdmissionResponse deny(
      int code, String reason, String message, List<String> warnings, Map<String, String> audit) {
    Outcome outcome = code >= 500 ? Outcome.ERROR : Outcome.DENIED;
    return new AdmissionResponse(false, code, reason, message, null, warnings, audit, outcome, 0);
  }

  /** A mutating handler that failed: allowed unchanged, with a warning (docs/behaviour.md §1). */
  public static AdmissionResponse failedOpen(String warning) {
    return new AdmissionResponse(
        true, 200, null, null, null, List.of(warning), Map.of(), Outcome.ERROR, 0);
  }

  /** This denial, counting {@code n} route conflicts among its reasons. */
  public AdmissionResponse withRouteConflicts(int n) {
    return new AdmissionResponse(
        allowed, code, reason, message, patch, warnings, auditAnnotations, outcome, n);
  }
}
