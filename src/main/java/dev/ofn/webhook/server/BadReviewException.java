package dev.ofn.webhook.server;

/** A body that is not an AdmissionReview we can answer: HTTP 400 with this message. */
public final class BadReviewException extends Exception {
  public BadReviewException(String message) {
    super(message);
  }
}
