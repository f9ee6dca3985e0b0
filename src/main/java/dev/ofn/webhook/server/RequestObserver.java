package dev.ofn.webhook.server;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.admission.Endpoint;

/**
 * Where the server reports each request (metrics); a no-op by default. Every {@link #started} is
 * followed by exactly one {@link #answered} or {@link #rejected}.
 */
public interface RequestObserver {
  RequestObserver NONE = new RequestObserver() {};

  /** A request was routed to an endpoint (its body is read, not yet decoded). */
  default void started(Endpoint endpoint) {}

  /** An AdmissionReview answer was sent, {@code nanos} after the body was read. */
  default void answered(
      Endpoint endpoint, AdmissionRequest request, AdmissionResponse response, long nanos) {}

  /** No AdmissionReview answer: a plain HTTP error (400 for a body that is no review, 500). */
  default void rejected(Endpoint endpoint, int httpStatus) {}
}
