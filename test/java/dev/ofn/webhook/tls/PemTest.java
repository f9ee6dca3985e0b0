package dev.ofn.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemTest {
  static final CertBundle BUNDLE =
      CertificateAuthority.generate(Clock.systemUTC()).issue(Sans.standalone(List.of(), List.of()));

  @Test
  void roundTrips() {
    assertEquals(BUNDLE.certPem(), Pem.encodeCertificate(Pem.decodeCertificate(BUNDLE.certPem())));
    PrivateKey key = Pem.decodePrivateKey(BUNDLE.keyPem());
    assertEquals(BUNDLE.keyPem(), Pem.encodePrivateKey(key));
    String two = BUNDLE.certPem() + BUNDLE.caCertPem();
    assertEquals(
        List.of(BUNDLE.certificate(), BUNDLE.caCertificate()), Pem.decodeCertificates(two));
    assertEquals(two, Pem.encodeCertificates(Pem.decodeCertificates(two)));
  }

  /**
   * A throw-away key from {@code openssl ecparam -name prime256v1 -genkey -noout}, as cert-manager
   * writes them.
   */
  static final String SEC1 =
      """
      -----BEGIN EC PRIVATE KEY-----
      MHcCAQEEIB7HX70HZFnsqIEdr2dd7mCQb9rPrQP7z7+VQGO5lwJ8oAoGCCqGSM49
      AwEHoUQDQgAEB+2jF3y8FrosBvyhyRmxDu88O6gaT4Dyz4Iwz0InvmGt9FigScLs
      N2khtgrhFl6LkvO+1+o3J7wvwwb2HHObUw==
      -----END EC PRIVATE KEY-----
      """;

  /** The same key through {@code openssl pkcs8 -topk8 -nocrypt}. */
  static final String PKCS8 =
      """
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgHsdfvQdkWeyogR2v
      Z13uYJBv2s+tA/vPv5VAY7mXAnyhRANCAAQH7aMXfLwWuiwG/KHJGbEO7zw7qBpP
      gPLPgjDPQie+Ya30WKBJwuw3aSG2CuEWXouS877X6jcnvC/DBvYcc5tT
      -----END PRIVATE KEY-----
      """;

  @Test
  void readsSec1EcKeysAsWrittenByOpenssl() {
    ECPrivateKey sec1 = (ECPrivateKey) Pem.decodePrivateKey(SEC1);
    ECPrivateKey pkcs8 = (ECPrivateKey) Pem.decodePrivateKey(PKCS8);
    assertEquals(pkcs8.getS(), sec1.getS());
    assertEquals(
        sec1.getS(), ((ECPrivateKey) Pem.decodePrivateKey(Pem.encodePrivateKey(sec1))).getS());
  }

  static Stream<Arguments> corruptKeys() {
    String key = BUNDLE.keyPem();
    return Stream.of(
        Arguments.of("", "empty"),
        Arguments.of("   \n", "empty"),
        Arguments.of("hello", "no PEM block found"),
        Arguments.of(key.substring(0, key.length() / 2), "malformed PEM"),
        Arguments.of(key.replace("-----END PRIVATE KEY-----", ""), "malformed PEM"),
        Arguments.of(key.replaceFirst("\n.", "\n!"), "malformed PEM"),
        Arguments.of(BUNDLE.certPem(), "expected a private key, found"),
        Arguments.of(key + key, "more than one PEM block"),
        Arguments.of(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "malformed PEM"));
  }

  @ParameterizedTest
  @MethodSource("corruptKeys")
  void corruptKeysFailClearly(String pem, String message) {
    PemException e = assertThrows(PemException.class, () -> Pem.decodePrivateKey(pem));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  static Stream<Arguments> corruptCertificates() {
    String cert = BUNDLE.certPem();
    return Stream.of(
        Arguments.of(null, "empty"),
        Arguments.of("garbage\u0000\u00ff", "no PEM block found"),
        Arguments.of(cert.substring(0, cert.length() - 40), "malformed PEM"),
        Arguments.of(BUNDLE.keyPem(), "expected CERTIFICATE blocks, found"),
        Arguments.of(
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "malformed PEM"));
  }

  @ParameterizedTest
  @MethodSource("corruptCertificates")
  void corruptCertificatesFailClearly(String pem, String message) {
    PemException e = assertThrows(PemException.class, () -> Pem.decodeCertificate(pem));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }
}
