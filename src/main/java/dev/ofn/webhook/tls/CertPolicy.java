package dev.ofn.webhook.tls;

import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Decides, without side effects, whether a bundle can be served as is, needs a new serving
 * certificate, or a new CA; and says why in words fit for one log line. Checks run CA first, then
 * key, then leaf, and the first problem found decides: fixing it re-issues everything below it
 * anyway.
 *
 * @param renewLeafBefore a serving certificate with less than this left is renewed
 *     (docs/behaviour.md §10: 10 days)
 * @param rollCaBefore a CA with less than this left is replaced (docs/behaviour.md §10: 40 days);
 *     only for CAs whose key we hold — a CA we do not own is not ours to roll
 */
public record CertPolicy(Duration renewLeafBefore, Duration rollCaBefore) {
  public static final CertPolicy DEFAULT = new CertPolicy(Duration.ofDays(10), Duration.ofDays(40));

  /**
   * OK: serve as is. RENEW_LEAF: a new serving certificate from the same CA. ROLL_CA: the CA (ours,
   * still valid) nears its end: a new CA, published before it serves (docs/behaviour.md §10's roll;
   * standalone files just replace everything). NEW_CA: the CA is missing, broken or expired:
   * replace everything now.
   */
  public enum Action {
    OK,
    RENEW_LEAF,
    ROLL_CA,
    NEW_CA
  }

  /**
   * A verdict on one bundle.
   *
   * @param item the file / Secret key concerned ({@code ca.crt}, {@code ca.key}, {@code tls.crt},
   *     {@code tls.key})
   * @param problem what is wrong, or for OK how long it stays valid
   * @param remedy what the caller does about it: "renewed", "regenerated", "created", "new CA",
   *     "kept"
   */
  public record Decision(Action action, String item, String problem, String remedy) {
    /** {@code where} (e.g. {@code "certs/"}) + "tls.crt expires in 3 days: renewed". */
    public String reason(String where) {
      return where + item + " " + problem + ": " + remedy;
    }

    public String reason() {
      return reason("");
    }

    public boolean ok() {
      return action == Action.OK;
    }
  }

  /**
   * The verdict for {@code bundle} at {@code now}.
   *
   * @param wanted the names the serving certificate must carry exactly, or null to accept any (a
   *     certificate we do not issue ourselves, e.g. cert-manager's)
   */
  public Decision decide(CertBundle bundle, Sans wanted, Instant now) {
    Decision ca = checkCa(bundle, now);
    if (ca != null) {
      return ca;
    }
    Decision leaf = checkLeaf(bundle, wanted, now);
    if (leaf == null) {
      Instant until = bundle.notAfter();
      return new Decision(
          Action.OK,
          CertBundle.TLS_CRT,
          "is valid until " + until + " (" + remaining(now, until) + ")",
          "kept");
    }
    if (!bundle.hasCaKey()) {
      // Without the CA key the leaf cannot be re-issued: the only way forward is a CA of our own.
      return new Decision(
          Action.NEW_CA,
          leaf.item(),
          leaf.problem() + " and there is no " + CertBundle.CA_KEY + " to renew it",
          "new CA");
    }
    return leaf;
  }

  private Decision checkCa(CertBundle bundle, Instant now) {
    String item = CertBundle.CA_CRT;
    if (blank(bundle.caCertPem())) {
      return newCa(item, "is missing", "created");
    }
    X509Certificate ca;
    try {
      ca = bundle.caCertificate();
    } catch (PemException e) {
      return newCa(item, "is not a valid PEM certificate (" + e.getMessage() + ")", "regenerated");
    }
    if (ca.getBasicConstraints() < 0) {
      return newCa(item, "is not a CA certificate", "regenerated");
    }
    Instant notAfter = ca.getNotAfter().toInstant();
    if (!notAfter.isAfter(now)) {
      return newCa(item, "expired on " + notAfter, "new CA");
    }
    if (ca.getNotBefore().toInstant().isAfter(now)) {
      return newCa(item, "is not valid before " + ca.getNotBefore().toInstant(), "new CA");
    }
    if (!bundle.hasCaKey()) {
      return null;
    }
    PrivateKey caKey;
    try {
      caKey = bundle.caPrivateKey();
    } catch (PemException e) {
      return newCa(
          CertBundle.CA_KEY, "is not a valid PEM key (" + e.getMessage() + ")", "regenerated");
    }
    if (!Keys.matches(caKey, ca.getPublicKey())) {
      return newCa(CertBundle.CA_KEY, "does not match " + CertBundle.CA_CRT, "regenerated");
    }
    if (Duration.between(now, notAfter).compareTo(rollCaBefore) < 0) {
      return new Decision(Action.ROLL_CA, item, "expires in " + remaining(now, notAfter), "new CA");
    }
    return null;
  }

  private Decision checkLeaf(CertBundle bundle, Sans wanted, Instant now) {
    String item = CertBundle.TLS_CRT;
    if (blank(bundle.certPem())) {
      return renew(item, "is missing", "created");
    }
    X509Certificate leaf;
    try {
      leaf = bundle.certificate();
    } catch (PemException e) {
      return renew(item, "is not a valid PEM certificate (" + e.getMessage() + ")", "regenerated");
    }
    if (blank(bundle.keyPem())) {
      return renew(CertBundle.TLS_KEY, "is missing", "regenerated");
    }
    PrivateKey key;
    try {
      key = bundle.privateKey();
    } catch (PemException e) {
      return renew(
          CertBundle.TLS_KEY, "is not a valid PEM key (" + e.getMessage() + ")", "regenerated");
    }
    if (!Keys.matches(key, leaf.getPublicKey())) {
      return renew(CertBundle.TLS_KEY, "does not match " + item, "regenerated");
    }
    X509Certificate ca = bundle.caCertificate();
    if (!Keys.signedBy(leaf, ca)) {
      return renew(item, "is not signed by " + CertBundle.CA_CRT, "renewed");
    }
    if (!servesTls(leaf)) {
      return renew(item, "is not a serving certificate (no serverAuth usage)", "renewed");
    }
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (notBefore.isAfter(now)) {
      return renew(item, "is not valid before " + notBefore, "renewed");
    }
    if (!notAfter.isAfter(now)) {
      return renew(item, "expired on " + notAfter, "renewed");
    }
    if (Duration.between(now, notAfter).compareTo(renewLeafBefore) < 0) {
      return renew(item, "expires in " + remaining(now, notAfter), "renewed");
    }
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      return renew(item, "outlives " + CertBundle.CA_CRT, "renewed");
    }
    if (wanted != null) {
      List<String> found = names(leaf);
      List<String> want = new ArrayList<>(wanted.dns());
      want.addAll(wanted.ips());
      if (!new TreeSet<>(found).equals(new TreeSet<>(want))) {
        return renew(
            item,
            "names ["
                + String.join(", ", found)
                + "] differ from the wanted ["
                + String.join(", ", want)
                + "]",
            "renewed");
      }
    }
    return null;
  }

  /**
   * The DNS and IP SANs of a certificate, normalised like {@link Sans}; unparseable entries are
   * kept raw so they mismatch.
   */
  static List<String> names(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of("<unparseable SANs>");
    }
    for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
      int type = (Integer) san.get(0);
      if (type == 2 || type == 7) {
        String value = String.valueOf(san.get(1));
        try {
          names.add(type == 2 ? Sans.dnsName(value) : Sans.ipAddress(value));
        } catch (IllegalArgumentException e) {
          names.add(value);
        }
      }
    }
    return names;
  }

  private static boolean servesTls(X509Certificate leaf) {
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      // No EKU extension means "any usage" (RFC 5280 §4.2.1.12).
      return usages == null
          || usages.contains("1.3.6.1.5.5.7.3.1")
          || usages.contains("2.5.29.37.0");
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  /** "3 days", "5 hours", "12 minutes": coarse enough to read, fine enough near the end. */
  static String remaining(Instant now, Instant until) {
    Duration left = Duration.between(now, until);
    if (left.toDays() >= 2) {
      return left.toDays() + " days";
    }
    if (left.toHours() >= 2) {
      return left.toHours() + " hours";
    }
    return Math.max(0, left.toMinutes()) + " minutes";
  }

  private static Decision newCa(String item, String problem, String remedy) {
    return new Decision(Action.NEW_CA, item, problem, remedy);
  }

  private static Decision renew(String item, String problem, String remedy) {
    return new Decision(Action.RENEW_LEAF, item, problem, remedy);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
