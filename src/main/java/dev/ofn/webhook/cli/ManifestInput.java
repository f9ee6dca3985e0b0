package dev.ofn.webhook.cli;

import dev.ofn.webhook.model.OwnershipMode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The input options of the offline commands: {@code -f FILE|DIR|-} (repeatable) and {@code -n NS}.
 */
final class ManifestInput {
  @Option(
      names = {"-f", "--filename"},
      required = true,
      description = "File, folder or - (stdin); repeatable.")
  List<String> files;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "Namespace of objects that have none.")
  String namespace;

  /**
   * The input sent through the admission core as the apiserver would (defaulted, and validated when
   * {@code validate}); empty (after one line on {@code err}) when unreadable.
   */
  Optional<List<OfflineAdmission.Admitted>> admit(PrintWriter err, boolean validate) {
    return admit(err, validate, OwnershipMode.OFF);
  }

  /** {@code ownership}: the hostname ownership of gateways whose OFN Gateway does not say. */
  Optional<List<OfflineAdmission.Admitted>> admit(
      PrintWriter err, boolean validate, OwnershipMode ownership) {
    try {
      return Optional.of(
          OfflineAdmission.admit(Manifests.read(files, System.in), namespace, validate, ownership));
    } catch (Manifests.ManifestException e) {
      err.println(e.getMessage());
      return Optional.empty();
    }
  }
}
