package dev.ofn.webhook.admission;

/** Answers one decoded admission request. Runs on the event loop: must not block. */
@FunctionalInterface
public interface ReviewHandler {
  AdmissionResponse review(AdmissionRequest request);
}
