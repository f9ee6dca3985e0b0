package dev.ofn.webhook.check;

import dev.ofn.webhook.admission.Endpoint;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code webhook default}: the objects as the mutating webhooks would default them, as YAML. */
public final class OfflineDefault {
  private OfflineDefault() {}

  /**
   * Prints the defaulted objects on {@code out}, warnings and notes on {@code err}; the exit code
   * (2 when anything in the input cannot be read).
   */
  public static int run(List<String> files, String namespace, PrintWriter out, PrintWriter err) {
    Optional<List<OfflineAdmission.Admitted>> objects = admit(files, namespace, err);
    if (objects.isEmpty()) {
      return 2;
    }
    for (OfflineAdmission.Admitted defaulted : objects.get()) {
      Stream.concat(
              defaulted.warnings().stream(), Endpoint.notDefaulted(defaulted.object()).stream())
          .forEach(
              w -> err.println(defaulted.file() + ": " + defaulted.describe() + ": warning: " + w));
      out.print(YamlOutput.write(defaulted.object()));
    }
    out.flush();
    return 0;
  }

  /**
   * The input sent through the mutating webhooks as the apiserver would; empty (after one line on
   * {@code err} per problem) when anything in it cannot be read. Notes (skipped folders, objects
   * given twice) go to {@code err}.
   */
  private static Optional<List<OfflineAdmission.Admitted>> admit(
      List<String> files, String namespace, PrintWriter err) {
    Optional<Manifests.Input> input = Manifests.read(files, err);
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
        OfflineAdmission.admit(input.get().documents(), namespace, false);
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
