package dev.ofn.webhook.admission;

import dev.ofn.webhook.validation.FieldError;
import dev.ofn.webhook.validation.FieldErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The validating contract of docs/behaviour.md §1 around a pure validator: all errors in one
 * apiserver-style message, field errors ({@code Invalid}) before conflicts ({@code Forbidden}),
 * ratcheting on UPDATE, and a 500 denial (never an exception) when the validator fails.
 */
public final class ValidatingReview implements ReviewHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatingReview.class);
  public static final String CONFLICT_AUDIT_KEY = "ofn.io/conflict-with";

  /** A pure validator of one object tree (the new one, or on UPDATE also the old one). */
  public interface Validator {
    Findings validate(AdmissionRequest request, JsonNode object);

    /** Called once an object is allowed; {@code request.dryRun()} tells whether to keep state. */
    default void admitted(AdmissionRequest request) {}
  }

  /**
   * What a validator found in one object; {@code conflictOwners} name who already owns the clashing
   * routes; {@code onAdmit} records the object once it is admitted (e.g. its route keys), reusing
   * what validating it computed instead of computing it again.
   */
  public record Findings(
      List<FieldError> fieldErrors,
      List<FieldError> conflicts,
      List<String> warnings,
      Set<String> conflictOwners,
      Runnable onAdmit) {
    public Findings(
        List<FieldError> fieldErrors,
        List<FieldError> conflicts,
        List<String> warnings,
        Set<String> conflictOwners) {
      this(fieldErrors, conflicts, warnings, conflictOwners, () -> {});
    }

    public static Findings of(List<FieldError> fieldErrors) {
      return new Findings(fieldErrors, List.of(), List.of(), Set.of());
    }
  }

  private final String name;
  private final Validator validator;

  public ValidatingReview(String name, Validator validator) {
    this.name = name;
    this.validator = validator;
  }

  @Override
  public AdmissionResponse review(AdmissionRequest request) {
    if (!request.isCreateOrUpdate()) {
      return AdmissionResponse.allow(List.of());
    }
    if (request.object() == null || !request.object().isObject()) {
      return AdmissionResponse.deny(
          400,
          "BadRequest",
          "request.object must be an object for " + request.operation(),
          List.of(),
          Map.of());
    }
    try {
      return decide(request);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.error(
          "{}: validating {} {}/{} failed",
          name,
          request.kind(),
          request.objectNamespace(),
          request.name(),
          e);
      return AdmissionResponse.deny(
          500,
          "InternalError",
          name
              + ": internal error while validating ("
              + e.getClass().getSimpleName()
              + "); see the server log",
          List.of(),
          Map.of());
    }
  }

  private AdmissionResponse decide(AdmissionRequest request) {
    Findings verdict = validator.validate(request, request.object());
    List<String> fieldLines = FieldErrors.renderAll(verdict.fieldErrors());
    List<String> conflictLines = FieldErrors.renderAll(verdict.conflicts());
    List<String> warnings = new ArrayList<>(verdict.warnings());

    JsonNode old = request.oldObject();
    if (request.isUpdate()
        && old != null
        && old.isObject()
        && !(fieldLines.isEmpty() && conflictLines.isEmpty())) {
      Findings before = validator.validate(request, old);
      Set<String> known = new HashSet<>(FieldErrors.renderAll(before.fieldErrors()));
      known.addAll(FieldErrors.renderAll(before.conflicts()));
      warnings.addAll(kept(fieldLines, known));
      warnings.addAll(kept(conflictLines, known));
      fieldLines = dropped(fieldLines, known);
      conflictLines = dropped(conflictLines, known);
      if (isDeleting(request.object()) || onlyMetadataChanged(old, request.object())) {
        fieldLines.forEach(line -> warnings.add("existing problem: " + line));
        conflictLines.forEach(line -> warnings.add("existing problem: " + line));
        fieldLines = List.of();
        conflictLines = List.of();
      }
    }
    if (fieldLines.isEmpty() && conflictLines.isEmpty()) {
      verdict.onAdmit().run();
      validator.admitted(request);
      return AdmissionResponse.allow(warnings);
    }
    List<String> lines = new ArrayList<>(fieldLines);
    lines.addAll(conflictLines);
    String reason = fieldLines.isEmpty() ? "Forbidden" : "Invalid";
    Map<String, String> audit =
        verdict.conflictOwners().isEmpty() || conflictLines.isEmpty()
            ? Map.of()
            : Map.of(
                CONFLICT_AUDIT_KEY,
                String.join(", ", new LinkedHashSet<>(verdict.conflictOwners())));
    return AdmissionResponse.deny(403, reason, String.join("\n", lines), warnings, audit)
        .withRouteConflicts(conflictLines.size());
  }

  private static List<String> kept(List<String> lines, Set<String> known) {
    return lines.stream()
        .filter(known::contains)
        .map(line -> "existing problem: " + line)
        .collect(Collectors.toList());
  }

  private static List<String> dropped(List<String> lines, Set<String> known) {
    return lines.stream().filter(line -> !known.contains(line)).collect(Collectors.toList());
  }

  private static boolean isDeleting(JsonNode object) {
    JsonNode ts = object.path("metadata").path("deletionTimestamp");
    return ts.isString() && !ts.stringValue().isEmpty();
  }

  /** True when everything but {@code metadata} and {@code status} is unchanged. */
  static boolean onlyMetadataChanged(JsonNode old, JsonNode current) {
    ObjectNode a = ((ObjectNode) old).deepCopy();
    ObjectNode b = ((ObjectNode) current).deepCopy();
    for (String field : List.of("metadata", "status")) {
      a.remove(field);
      b.remove(field);
    }
    return a.equals(b);
  }
}
