package dev.ofn.webhook.tls;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the certificate Secret holds: the bundle being served, and the state of a CA roll
 * (docs/behaviour.md §10). A roll goes: {@code nextCa*} appears (published in caBundle next to the
 * current CA) → {@code nextCaPublishedAt} once both configurations show it → a minute later the
 * serving certificate switches to the new CA, the old one becomes {@code previousCaPem} ({@code
 * switchedAt}) → later dropped.
 *
 * @param bundle the CA that signs the serving certificate, its key, the serving certificate and key
 * @param nextCaPem the CA being rolled in, or null
 * @param nextCaKeyPem its key, or null
 * @param previousCaPem the CA rolled out, still trusted until every replica serves the new one, or
 *     null
 * @param nextCaPublishedAt when both configurations were first seen trusting {@code nextCaPem}, or
 *     null
 * @param switchedAt when the serving certificate moved to the current CA by a roll, or null
 */
public record StoredCerts(
    CertBundle bundle,
    String nextCaPem,
    String nextCaKeyPem,
    String previousCaPem,
    Instant nextCaPublishedAt,
    Instant switchedAt) {

  public static StoredCerts of(CertBundle bundle) {
    return new StoredCerts(bundle, null, null, null, null, null);
  }

  public boolean rolling() {
    return nextCaPem != null;
  }

  /**
   * The caBundle to publish: current CA, next CA, previous CA (those present, each certificate
   * once). Corrupt parts are left out, so a broken next CA never poisons the apiserver's trust.
   */
  public String trustBundle() {
    Set<String> seen = new LinkedHashSet<>();
    List<X509Certificate> certificates = new ArrayList<>();
    for (String pem : new String[] {bundle.caCertPem(), nextCaPem, previousCaPem}) {
      if (pem == null) {
        continue;
      }
      try {
        for (X509Certificate certificate : Pem.decodeCertificates(pem)) {
          if (seen.add(fingerprint(certificate))) {
            certificates.add(certificate);
          }
        }
      } catch (PemException e) {
        // Skipped: CertRotation replaces what is corrupt.
      }
    }
    return Pem.encodeCertificates(certificates);
  }

  /**
   * True when {@code caBundlePem} (a configuration's caBundle, decoded) trusts every CA of {@link
   * #trustBundle}.
   */
  public boolean trustedBy(String caBundlePem) {
    Set<String> published = fingerprints(caBundlePem);
    return published != null && published.containsAll(fingerprints(trustBundle()));
  }

  /**
   * True when {@code caBundlePem} holds exactly the CAs of {@link #trustBundle}, in whatever order.
   */
  public boolean publishedExactlyIn(String caBundlePem) {
    Set<String> published = fingerprints(caBundlePem);
    return published != null && published.equals(fingerprints(trustBundle()));
  }

  /** The certificates' fingerprints, or null when the text is absent or not PEM certificates. */
  private static Set<String> fingerprints(String pem) {
    if (pem == null || pem.isBlank()) {
      return null;
    }
    try {
      Set<String> set = new LinkedHashSet<>();
      Pem.decodeCertificates(pem).forEach(c -> set.add(fingerprint(c)));
      return set;
    } catch (PemException e) {
      return null;
    }
  }

  StoredCerts withBundle(CertBundle newBundle) {
    return new StoredCerts(
        newBundle, nextCaPem, nextCaKeyPem, previousCaPem, nextCaPublishedAt, switchedAt);
  }

  private static String fingerprint(X509Certificate certificate) {
    try {
      return Base64.getEncoder().encodeToString(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new PemException("certificate cannot be encoded", e);
    }
  }
}
