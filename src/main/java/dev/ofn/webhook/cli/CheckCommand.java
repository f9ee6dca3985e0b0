package dev.ofn.webhook.cli;

import dev.ofn.webhook.model.OwnershipMode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code webhook check -f FILE|DIR|-}: every line the webhooks would answer for the objects
 * (errors, then {@code warning:} lines), exit 1 when any object would be refused.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Default, validate and conflict-check the objects as the webhooks would; exit 1 on any error.")
final class CheckCommand implements Callable<Integer> {
  @Mixin ManifestInput input;

  @Option(
      names = "--hostname-ownership",
      defaultValue = "off",
      converter = OwnershipModes.class,
      description = OwnershipModes.DESCRIPTION)
  OwnershipMode hostnameOwnership;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<List<OfflineAdmission.Admitted>> admitted = input.admit(err, true, hostnameOwnership);
    if (admitted.isEmpty()) {
      return 2;
    }
    int problems = 0;
    for (OfflineAdmission.Admitted object : admitted.get()) {
      String prefix = object.file() + ": " + object.describe() + ": ";
      for (String line : object.errors()) {
        out.println(prefix + line);
        problems++;
      }
      for (String warning : object.warnings()) {
        out.println(prefix + "warning: " + warning);
      }
    }
    out.flush();
    return problems == 0 ? 0 : 1;
  }
}
