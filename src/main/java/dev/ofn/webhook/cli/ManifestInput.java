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

  /**
   * Every file read, problems included; empty (after one line on {@code err}) when a path given
   * cannot be read at all.
   */
  Optional<Manifests.Input> read(PrintWriter err) {
    return read(files, err);
  }

  static Optional<Manifests.Input> read(List<String> paths, PrintWriter err) {
    try {
      return Optional.of(Manifests.read(paths, System.in));
    } catch (Manifests.ManifestException e) {
      err.println(e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * {@code webhook default}: the input sent through the mutating webhooks as the apiserver would;
   * empty (after one line on {@code err} per problem) when anything in it cannot be read. Notes
   * (skipped folders, objects given twice) go to {@code err}.
   */
  Optional<List<OfflineAdmission.Admitted>> admit(PrintWriter err, boolean validate) {
    if (!given()) {
      err.println("webhook: missing -f FILE|DIR|- (see: webhook --help)");
      return Optional.empty();
    }
    Optional<Manifests.Input> input = read(err);
    if (input.isEmpty()) {
      return Optional.empty();
    }
    boolean broken = false;
    for (Manifests.Problem problem : input.get().problems()) {
      err.println(
          problem.error() ? problem.render() : problem.file() + ": note: " + problem.message());
      broken |= problem.error();
    }
    if (broken) {
      return Optional.empty();
    }
    List<OfflineAdmission.Admitted> admitted =
        OfflineAdmission.admit(input.get().documents(), namespace, validate);
    for (OfflineAdmission.Admitted a : admitted) {
      if (a.duplicateOf() != null) {
        err.println(
            a.file()
                + ": "
                + a.describe()
                + ": note: the same object as "
                + a.duplicateOf().file()
                + " line "
                + a.duplicateOf().line()
                + ": printed once");
      }
    }
    return Optional.of(admitted.stream().filter(a -> a.duplicateOf() == null).toList());
  }
}
