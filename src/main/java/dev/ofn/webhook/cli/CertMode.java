package dev.ofn.webhook.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --cert-mode}: who issues the serving certificate. */
enum CertMode {
  /** We keep our own CA, the certificate Secret and the webhooks' caBundle (the leader writes). */
  SELF("self"),
  /** cert-manager issues it into the mounted Secret; its cainjector fills caBundle. */
  CERT_MANAGER("cert-manager");

  final String flag;

  CertMode(String flag) {
    this.flag = flag;
  }

  static List<String> flags() {
    return Arrays.stream(values()).map(m -> m.flag).toList();
  }

  /** Exactly the written names; anything else is refused with the list. */
  static final class Converter implements ITypeConverter<CertMode> {
    @Override
    public CertMode convert(String value) {
      for (CertMode mode : values()) {
        if (mode.flag.equals(value)) {
          return mode;
        }
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a certificate mode; choose one of: "
              + String.join(", ", flags()));
    }
  }

  /** For --help and shell completion. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return flags().iterator();
    }
  }
}
