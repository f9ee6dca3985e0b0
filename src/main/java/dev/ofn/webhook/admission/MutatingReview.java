package dev.ofn.webhook.admission;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The mutating contract of docs/behaviour.md §1 around a pure defaulter: only CREATE/UPDATE are
 * defaulted, the answer is the JSON diff of received and defaulted trees, and any failure lets the
 * object through unchanged with a warning (the mutating webhook is {@code failurePolicy: Ignore} in
 * spirit too).
 */
public final class MutatingReview implements ReviewHandler {
  private static final Logger LOG = LoggerFactory.getLogger(MutatingReview.class);

  /** A pure defaulter: returns a new tree (never mutating the request's) and warnings. */
  @FunctionalInterface
  public interface Defaulter {
    Mutated apply(AdmissionRequest request);

    default boolean mayBlock(AdmissionRequest request) {
      return false;
    }
  }

  public record Mutated(JsonNode object, List<String> warnings) {}

  private final String name;
  private final Defaulter defaulter;

  public MutatingReview(String name, Defaulter defaulter) {
    this.name = name;
    this.defaulter = defaulter;
  }

  @Override
  public boolean mayBlock(AdmissionRequest request) {
    return request.isCreateOrUpdate()
        && request.object() != null
        && request.object().isObject()
        && defaulter.mayBlock(request);
  }

  @Override
  public AdmissionResponse review(AdmissionRequest request) {
    if (!request.isCreateOrUpdate()) {
      return AdmissionResponse.allow(List.of());
    }
    if (request.object() == null || !request.object().isObject()) {
      return AdmissionResponse.allow(
          List.of(name + ": request.object is not an object: nothing defaulted"));
    }
    try {
      Mutated mutated = defaulter.apply(request);
      JsonNode patch = Patches.diff(request.object(), mutated.object());
      return patch == null
          ? AdmissionResponse.allow(mutated.warnings())
          : AdmissionResponse.patch(patch, mutated.warnings());
    } catch (RuntimeException | StackOverflowError e) {
      LOG.error(
          "{}: defaulting {} {}/{} failed, allowed unchanged",
          name,
          request.kind(),
          request.objectNamespace(),
          request.name(),
          e);
      return AdmissionResponse.failedOpen(
          name + ": defaulting skipped after an internal error; see the server log");
    }
  }
}
