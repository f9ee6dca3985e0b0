package dev.ofn.webhook.routing;

import dev.ofn.webhook.model.Warnings;
import dev.ofn.webhook.validation.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of a conflict check. {@code errors} are the denials (Forbidden field errors, one per
 * clash, in field order); {@code warnings} cover what is legal but surprising, including clashes
 * the old object already had (ratcheting); {@code conflictsWith} names the owners denied against,
 * for the {@code ofn.io/conflict-with} audit annotation. {@code keys} is what to {@link
 * ConflictIndex#reserve} once the object is admitted (not on dry runs).
 */
public record ConflictCheck(
    OwnedKeys keys, List<FieldError> errors, List<String> warnings, List<Owner> conflictsWith) {
  public static final String AUDIT_ANNOTATION = "ofn.io/conflict-with";

  public boolean denied() {
    return !errors.isEmpty();
  }

  /**
   * The audit annotation value, e.g. {@code Function default/other}; several owners
   * comma-separated.
   */
  public Optional<String> auditAnnotation() {
    return conflictsWith.isEmpty()
        ? Optional.empty()
        : Optional.of(
            conflictsWith.stream().map(Owner::toString).collect(Collectors.joining(", ")));
  }

  /**
   * Warnings plus the errors rendered as warnings: for the cases that must not deny (parity-only
   * namespaces, updates of objects being deleted or of metadata only).
   */
  public List<String> errorsAsWarnings() {
    List<String> all = new ArrayList<>(warnings);
    errors.forEach(e -> all.add(Warnings.clip(e.render())));
    return all;
  }
}
