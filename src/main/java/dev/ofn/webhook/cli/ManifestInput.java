package dev.ofn.webhook.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The input options of the offline commands: {@code -f FILE|DIR|-} (repeatable) and {@code -n NS}.
 */
final class ManifestInput {
  @Option(
      names = {"-f", "--filename"},
      description = "File, folder or - (stdin); repeatable.")
  List<String> files;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "Namespace of objects that have none.")
  String namespace;

  boolean given() {
    return files != null && !files.isEmpty();
  }
}
