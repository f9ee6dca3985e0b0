package dev.ofn.webhook.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM text in and out. Certificates as {@code CERTIFICATE} blocks, private keys written as
 * unencrypted PKCS#8 ({@code PRIVATE KEY}); on reading, SEC1 ({@code EC PRIVATE KEY}) and PKCS#1
 * keys are accepted too, since cert-manager and openssl write those. Every failure is a {@link
 * PemException} whose message can end a log line ("is not a valid PEM key: ...").
 */
public final class Pem {
  private static final Base64.Encoder MIME =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  public static String encodeCertificate(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  public static String encodeCertificates(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    certificates.forEach(c -> out.append(encodeCertificate(c)));
    return out.toString();
  }

  /** Unencrypted PKCS#8, the format every TLS stack (Vert.x, Go, openssl) reads. */
  public static String encodePrivateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("key has format " + key.getFormat() + ", not PKCS#8");
    }
    return block("PRIVATE KEY", key.getEncoded());
  }

  /** The first certificate of the text (a chain's leaf comes first). */
  public static X509Certificate decodeCertificate(String pem) {
    return decodeCertificates(pem).get(0);
  }

  /**
   * All certificates of the text, in order; at least one. Anything other than certificates is
   * refused.
   */
  public static List<X509Certificate> decodeCertificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(nonBlank(pem)))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (!(object instanceof X509CertificateHolder holder)) {
          throw new PemException("expected CERTIFICATE blocks, found " + describe(object));
        }
        certificates.add(converter.getCertificate(holder));
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw wrap(e);
    }
    if (certificates.isEmpty()) {
      throw new PemException("no PEM block found");
    }
    return List.copyOf(certificates);
  }

  /**
   * The single private key of the text. Encrypted keys are refused: nothing here holds a
   * passphrase.
   */
  public static PrivateKey decodePrivateKey(String pem) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(nonBlank(pem)))) {
      Object object = parser.readObject();
      PrivateKey key;
      if (object instanceof PrivateKeyInfo info) {
        key = converter.getPrivateKey(info);
      } else if (object instanceof PEMKeyPair pair) {
        key = converter.getPrivateKey(pair.getPrivateKeyInfo());
      } else if (object == null) {
        throw new PemException("no PEM block found");
      } else {
        throw new PemException("expected a private key, found " + describe(object));
      }
      if (parser.readObject() != null) {
        throw new PemException("more than one PEM block");
      }
      return key;
    } catch (IOException | RuntimeException e) {
      throw wrap(e);
    }
  }

  private static String nonBlank(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new PemException("empty");
    }
    return pem;
  }

  private static String describe(Object object) {
    String name = object.getClass().getSimpleName();
    return name.contains("Encrypted") ? "an encrypted key (not supported)" : "a " + name;
  }

  private static PemException wrap(Exception e) {
    if (e instanceof PemException pem) {
      return pem;
    }
    // BouncyCastle's messages ("unable to decode base64 string: ...") are precise but long; keep
    // the first line.
    String message =
        e.getMessage() == null
            ? e.getClass().getSimpleName()
            : e.getMessage().lines().findFirst().orElse("");
    return new PemException("malformed PEM: " + message, e);
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + MIME.encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
