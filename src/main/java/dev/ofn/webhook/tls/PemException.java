package dev.ofn.webhook.tls;

/**
 * Input that is not the PEM we expect (wrong type, truncated, bad base64, bad DER). Unchecked:
 * corrupt certificate material is data to judge ({@link CertPolicy}), not a programming error to
 * propagate.
 */
public final class PemException extends IllegalArgumentException {
  public PemException(String message) {
    super(message);
  }

  public PemException(String message, Throwable cause) {
    super(message, cause);
  }
}
