package dev.ofn.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static final Sans SANS =
      new Sans(
          List.of("ofn-webhook.ofn-webhook-system.svc", "localhost"), List.of("127.0.0.1", "::1"));

  static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void caIsAnEcP256CaForOneYear() {
    X509Certificate ca = CertificateAuthority.generate(at(T0)).certificate();
    assertP256(ca);
    assertEquals(0, ca.getBasicConstraints(), "CA with pathLen 0");
    assertTrue(ca.getKeyUsage()[5], "keyCertSign");
    assertTrue(
        ca.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")),
        "basicConstraints and keyUsage critical");
    assertEquals(T0.plus(Duration.ofDays(365)), ca.getNotAfter().toInstant());
    assertEquals(T0.minus(CertificateAuthority.BACKDATE), ca.getNotBefore().toInstant());
    assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal(), "self-signed");
    assertEquals("SHA256withECDSA", ca.getSigAlgName());
  }

  @Test
  void twoCasHaveDistinctSubjects() {
    X509Certificate a = CertificateAuthority.generate(at(T0)).certificate();
    X509Certificate b = CertificateAuthority.generate(at(T0.plusSeconds(60))).certificate();
    assertNotEquals(a.getSubjectX500Principal(), b.getSubjectX500Principal());
  }

  @Test
  void leafIsAServingCertFor30DaysWithTheWantedNames() throws Exception {
    CertBundle bundle = CertificateAuthority.generate(at(T0)).issue(SANS);
    X509Certificate leaf = bundle.certificate();
    assertP256(leaf);
    assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage());
    assertTrue(leaf.getKeyUsage()[0], "digitalSignature");
    assertEquals(T0.plus(Duration.ofDays(30)), bundle.notAfter());
    List<List<?>> sans = new ArrayList<>(leaf.getSubjectAlternativeNames());
    assertEquals(
        List.of(
            List.of(2, "localhost"),
            List.of(2, "ofn-webhook.ofn-webhook-system.svc"),
            List.of(7, "0:0:0:0:0:0:0:1"),
            List.of(7, "127.0.0.1")),
        sans);
    assertEquals(
        List.of("localhost", "ofn-webhook.ofn-webhook-system.svc", "0:0:0:0:0:0:0:1", "127.0.0.1"),
        CertPolicy.names(leaf));
    assertTrue(
        leaf.getSubjectX500Principal().getName().contains("CN=ofn-webhook.ofn-webhook-system.svc"));
  }

  @Test
  void chainVerifiesWithPkix() throws Exception {
    CertBundle bundle = CertificateAuthority.generate(at(T0)).issue(SANS);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    PKIXParameters params =
        new PKIXParameters(Set.of(new TrustAnchor(bundle.caCertificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(T0.plus(Duration.ofDays(1))));
    CertPathValidator.getInstance("PKIX")
        .validate(factory.generateCertPath(List.of(bundle.certificate())), params);
  }

  @Test
  void leafNeverOutlivesItsCa() {
    CertificateAuthority ca = CertificateAuthority.generate(at(T0));
    Instant caEnd = ca.certificate().getNotAfter().toInstant();
    CertificateAuthority late =
        CertificateAuthority.of(ca.issue(SANS), at(caEnd.minus(Duration.ofDays(5))));
    assertEquals(caEnd, late.issue(SANS).notAfter());
  }

  @Test
  void anExpiredCaIssuesNothing() {
    CertificateAuthority ca = CertificateAuthority.generate(at(T0));
    CertificateAuthority expired =
        CertificateAuthority.of(ca.issue(SANS), at(T0.plus(Duration.ofDays(400))));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> expired.issue(SANS));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
  }

  @Test
  void ofRefusesAKeyOfAnotherCa() {
    CertBundle a = CertificateAuthority.generate(at(T0)).issue(SANS);
    CertBundle b = CertificateAuthority.generate(at(T0)).issue(SANS);
    CertBundle mixed = new CertBundle(a.caCertPem(), b.caKeyPem(), a.certPem(), a.keyPem());
    assertThrows(PemException.class, () -> CertificateAuthority.of(mixed, at(T0)));
  }

  @Test
  void keysArePkcs8AndBundleNeverPrintsThem() {
    CertBundle bundle = CertificateAuthority.generate(at(T0)).issue(SANS);
    assertTrue(bundle.keyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertTrue(bundle.caKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertFalse(bundle.toString().contains("PRIVATE"), bundle.toString());
  }

  /** What the admission server does with a bundle: Vert.x must accept the PEM from memory. */
  @Test
  void vertxLoadsTheBundleFromMemory() throws Exception {
    CertBundle bundle = CertificateAuthority.generate(Clock.systemUTC()).issue(SANS);
    Vertx vertx = Vertx.vertx();
    try {
      KeyManagerFactory kmf =
          new PemKeyCertOptions()
              .setCertValue(Buffer.buffer(bundle.certPem()))
              .setKeyValue(Buffer.buffer(bundle.keyPem()))
              .getKeyManagerFactory(vertx);
      assertEquals(1, kmf.getKeyManagers().length);
      KeyStore trust =
          new io.vertx.core.net.PemTrustOptions()
              .addCertValue(Buffer.buffer(bundle.caCertPem()))
              .loadKeyStore(vertx);
      assertEquals(1, trust.size());
    } finally {
      vertx.close().await();
    }
  }

  static void assertP256(X509Certificate cert) {
    ECPublicKey key = (ECPublicKey) cert.getPublicKey();
    assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
    assertTrue(key.getParams().toString().contains("secp256r1"), key.getParams().toString());
  }
}
