package dev.ofn.webhook.server;

import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.admission.Endpoint;

/** Where the server reports each request (metrics); a no-op by default. */
public interface RequestObserver {
  RequestObserver NONE = new RequestObserver() {};

  default void answered(Endpoint endpoint, AdmissionResponse.Outcome outcome, long nanos) {}

  default void rejected(Endpoint endpoint, int httpStatus) {}
}
