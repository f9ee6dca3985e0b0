package dev.ofn.webhook.cli;

import dev.ofn.webhook.tls.CertFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code webhook certs --out DIR}: a fresh CA and serving certificate as PEM files. */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "Write a new CA and serving certificate (PEM).")
final class CertsCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      required = true,
      description = "Folder to write ca.crt, ca.key, tls.crt, tls.key into.")
  Path out;

  @Option(
      names = "--cert-dns",
      split = ",",
      description = "Extra DNS SANs (localhost is always included).")
  List<String> dns = new ArrayList<>();

  @Option(
      names = "--cert-ip",
      split = ",",
      description = "Extra IP SANs (127.0.0.1 is always included).")
  List<String> ips = new ArrayList<>();

  @Override
  public Integer call() {
    return CertFiles.writeCerts(out, dns, ips);
  }
}
