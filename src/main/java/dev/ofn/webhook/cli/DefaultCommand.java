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
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** {@code webhook default -f FILE|DIR|-}: the defaulted objects as multi-document YAML. */
@Command(
    name = "default",
    mixinStandardHelpOptions = true,
    description = "Print the objects as the mutating webhook would default them (YAML).")
final class DefaultCommand implements Callable<Integer> {
  static final YAMLMapper YAML_OUT =
      YAMLMapper.builder()
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .disable(YAMLWriteFeature.SPLIT_LINES)
          .build();

  @Mixin ManifestInput input;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<List<OfflineObjects.Defaulted>> objects = input.defaulted(err);
    if (objects.isEmpty()) {
      return 2;
    }
    for (OfflineObjects.Defaulted defaulted : objects.get()) {
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
