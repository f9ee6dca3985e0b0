package dev.ofn.webhook.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Our own small CA: ECDSA P-256 keys, a one-year CA and 30-day serving certificates that never
 * outlive it. BouncyCastle only builds the certificates; keys and signatures come from the JDK's
 * provider, so no security provider is registered globally.
 */
public final class CertificateAuthority {
  public static final Duration CA_VALIDITY = Duration.ofDays(365);
  public static final Duration LEAF_VALIDITY = Duration.ofDays(30);

  /** notBefore lies this far in the past, for peers whose clocks are a little behind ours. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final String certificatePem;
  private final String keyPem;
  private final Clock clock;

  private CertificateAuthority(
      X509Certificate certificate,
      PrivateKey key,
      String certificatePem,
      String keyPem,
      Clock clock) {
    this.certificate = certificate;
    this.key = key;
    this.certificatePem = certificatePem;
    this.keyPem = keyPem;
    this.clock = clock;
  }

  /** A new CA valid from now for {@link #CA_VALIDITY}. */
  public static CertificateAuthority generate(Clock clock) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    // The timestamp makes each generation's subject unique, so old and new CA are told apart during
    // a roll.
    X500Name subject = name("ofn-webhook-ca@" + now.getEpochSecond());
    KeyPair pair = newKeyPair();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(CA_VALIDITY)),
                  subject,
                  pair.getPublic())
              // pathLen 0: this CA signs serving certificates only, never another CA.
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = sign(builder, pair.getPrivate());
      return new CertificateAuthority(
          cert,
          pair.getPrivate(),
          Pem.encodeCertificate(cert),
          Pem.encodePrivateKey(pair.getPrivate()),
          clock);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a CA certificate", e);
    }
  }

  /**
   * The CA of an existing bundle (its first CA certificate and the CA key), keeping the bundle's
   * PEM text as is. {@link PemException} when the CA part is missing, corrupt or the key does not
   * match.
   */
  public static CertificateAuthority of(CertBundle bundle, Clock clock) {
    X509Certificate cert = bundle.caCertificate();
    PrivateKey key = bundle.caPrivateKey();
    if (!Keys.matches(key, cert.getPublicKey())) {
      throw new PemException("the CA key does not belong to the CA certificate");
    }
    return new CertificateAuthority(cert, key, bundle.caCertPem(), bundle.caKeyPem(), clock);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA certificate(s) as PEM, exactly as generated or loaded. */
  public String certificatePem() {
    return certificatePem;
  }

  public String keyPem() {
    return keyPem;
  }

  /**
   * A new key and serving certificate for {@code sans}, valid for {@link #LEAF_VALIDITY} or until
   * the CA expires, whichever is first; returned with this CA as a complete bundle.
   */
  public CertBundle issue(Sans sans) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant caNotBefore = certificate.getNotBefore().toInstant();
    Instant caNotAfter = certificate.getNotAfter().toInstant();
    Instant notBefore = later(now.minus(BACKDATE), caNotBefore);
    Instant notAfter = earlier(now.plus(LEAF_VALIDITY), caNotAfter);
    if (!notAfter.isAfter(now)) {
      throw new IllegalStateException(
          "the CA expired on " + caNotAfter + ": it cannot issue certificates");
    }
    KeyPair pair = newKeyPair();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  name(sans.commonName()),
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, generalNames(sans))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(certificate));
      X509Certificate leaf = sign(builder, key);
      return new CertBundle(
          certificatePem,
          keyPem,
          Pem.encodeCertificate(leaf),
          Pem.encodePrivateKey(pair.getPrivate()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a serving certificate", e);
    }
  }

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make ECDSA P-256 keys", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static GeneralNames generalNames(Sans sans) {
    List<GeneralName> names = new ArrayList<>();
    sans.dns().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
    sans.ips().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "ofn-webhook")
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  /**
   * Positive, non-zero, 127 random bits: unique without bookkeeping, within RFC 5280's 20 octets.
   */
  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
