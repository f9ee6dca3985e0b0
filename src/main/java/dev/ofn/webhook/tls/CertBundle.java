package dev.ofn.webhook.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A CA and a serving certificate with its key, as PEM text: the shape of {@code certs/} and of the
 * Secret, and what the server turns into Vert.x {@code PemKeyCertOptions} ({@code certPem}, {@code
 * keyPem}).
 *
 * <p>The record holds text, not parsed objects, on purpose: a bundle read from disk or a Secret may
 * be corrupt, and {@link CertPolicy} must be able to look at it and say why. The accessors parse on
 * each call (cheap next to a handshake, rare) and throw {@link PemException} on corrupt text.
 *
 * @param caCertPem the CA certificate(s); first the one that signs {@code certPem}. During a CA
 *     roll the old CA may follow (the text then doubles as a caBundle).
 * @param caKeyPem the CA's private key, or null when the CA is not ours (cert-manager, a user's own
 *     certs): such a bundle can be served but not renewed.
 * @param certPem the serving certificate, possibly followed by intermediates
 * @param keyPem the serving certificate's private key
 */
public record CertBundle(String caCertPem, String caKeyPem, String certPem, String keyPem) {
  /**
   * File names in {@code certs/} and keys of the Secret (the first three as in a {@code
   * kubernetes.io/tls} Secret).
   */
  public static final String CA_CRT = "ca.crt";

  public static final String CA_KEY = "ca.key";
  public static final String TLS_CRT = "tls.crt";
  public static final String TLS_KEY = "tls.key";

  /** The CA that signs the serving certificate (the first of {@code caCertPem}). */
  public X509Certificate caCertificate() {
    return Pem.decodeCertificate(caCertPem);
  }

  /** The serving (leaf) certificate. */
  public X509Certificate certificate() {
    return Pem.decodeCertificate(certPem);
  }

  public PrivateKey privateKey() {
    return Pem.decodePrivateKey(keyPem);
  }

  /** The CA's key; {@link PemException} when there is none. */
  public PrivateKey caPrivateKey() {
    if (caKeyPem == null) {
      throw new PemException("no CA key in this bundle");
    }
    return Pem.decodePrivateKey(caKeyPem);
  }

  /** When the serving certificate expires. */
  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /** True when the CA key is here, so the serving certificate can be re-issued. */
  public boolean hasCaKey() {
    return caKeyPem != null;
  }

  /** Never prints key material (records print every component by default). */
  @Override
  public String toString() {
    return "CertBundle[caCert="
        + length(caCertPem)
        + ", caKey="
        + (caKeyPem == null ? "none" : "present")
        + ", cert="
        + length(certPem)
        + ", key="
        + (keyPem == null ? "none" : "present")
        + "]";
  }

  private static String length(String pem) {
    return pem == null ? "none" : pem.length() + " chars";
  }
}
