package dev.ofn.webhook.cli;

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
   * The input defaulted as the mutating webhook would; empty (after one line on {@code err}) when
   * unreadable.
   */
  Optional<List<OfflineObjects.Defaulted>> defaulted(PrintWriter err) {
    try {
      return Optional.of(OfflineObjects.defaultAll(Manifests.read(files, System.in), namespace));
    } catch (Manifests.ManifestException e) {
      err.println(e.getMessage());
      return Optional.empty();
    }
  }
}
