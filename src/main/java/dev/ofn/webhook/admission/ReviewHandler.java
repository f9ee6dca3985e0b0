package dev.ofn.webhook.admission;

/** Answers one decoded admission request. Runs on the event loop unless it says it may block. */
@FunctionalInterface
public interface ReviewHandler {
  AdmissionResponse review(AdmissionRequest request);

  /**
   * True when answering this request may block (a live API read): it then runs on a worker thread.
   */
  default boolean mayBlock(AdmissionRequest request) {
    return false;
  }
}
