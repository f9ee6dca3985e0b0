package dev.ofn.webhook.cli;

import dev.ofn.webhook.json.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** {@code webhook default -f FILE|DIR|-}: the defaulted objects as multi-document YAML. */
@Command(name = "default", mixinStandardHelpOptions = true,
    description = "Print the objects as the mutating webhook would default them (YAML).")
final class DefaultCommand implements Callable<Integer> {
  static final YAMLMapper YAML_OUT = YAMLMapper.builder()
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .disable(YAMLWriteFeature.SPLIT_LINES)
      .build();

  @Option(names = {"-f", "--filename"}, required = true, description = "File, folder or - (stdin); repeatable.")
  List<String> files;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace of objects that have none.")
  String namespace;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Manifests.Document> documents;
    try {
      documents = Manifests.read(files, System.in);
    } catch (Manifests.ManifestException e) {
      err.println(e.getMessage());
      return 2;
    }
    for (OfflineObjects.Defaulted defaulted : OfflineObjects.defaultAll(documents, namespace)) {
      defaulted.warnings().forEach(w -> err.println(defaulted.file() + ": " + defaulted.describe() + ": warning: " + w));
      out.print(YAML_OUT.writeValueAsString(defaulted.object()));
    }
    out.flush();
    return 0;
  }

  static String yaml(Object tree) {
    return YAML_OUT.writeValueAsString(tree);
  }

  static {
    Json.class.getName(); // the shared mappers load first (stream limits)
  }
}
