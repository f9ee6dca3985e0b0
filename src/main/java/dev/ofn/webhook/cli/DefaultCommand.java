package dev.ofn.webhook.cli;

import dev.ofn.webhook.check.OfflineDefault;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code webhook default -f FILE|DIR|-}: the defaulted objects as multi-document YAML. */
@Command(
    name = "default",
    mixinStandardHelpOptions = true,
    description = "Print the objects as the mutating webhook would default them (YAML).")
final class DefaultCommand implements Callable<Integer> {
  @Mixin ManifestInput input;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (!input.given()) {
      err.println("webhook: missing -f FILE|DIR|- (see: webhook --help)");
      return 2;
    }
    return OfflineDefault.run(input.files, input.namespace, spec.commandLine().getOut(), err);
  }
}
