package dev.ofn.webhook.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@code webhook default -f FILE|DIR|-}: the defaulted objects as multi-document YAML. */
@Command(
    name = "default",
    mixinStandardHelpOptions = true,
    description = "Print the objects as the mutating webhook would default them (YAML).")
final class DefaultCommand implements Callable<Integer> {
  static final YAMLMapper YAML_OUT = YamlOutput.mapper();

  @Mixin ManifestInput input;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<List<OfflineAdmission.Admitted>> objects = input.admit(err, false);
    if (objects.isEmpty()) {
      return 2;
    }
    for (OfflineAdmission.Admitted defaulted : objects.get()) {
      defaulted
          .warnings()
          .forEach(
              w -> err.println(defaulted.file() + ": " + defaulted.describe() + ": warning: " + w));
      out.print(YAML_OUT.writeValueAsString(defaulted.object()));
    }
    out.flush();
    return 0;
  }
}
