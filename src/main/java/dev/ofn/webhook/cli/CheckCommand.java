package dev.ofn.webhook.cli;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.routing.ConflictCheck;
import dev.ofn.webhook.routing.ConflictChecker;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.validation.Checks;
import dev.ofn.webhook.validation.FieldError;
import dev.ofn.webhook.validation.FieldErrors;
import dev.ofn.webhook.validation.FunctionValidator;
import dev.ofn.webhook.validation.GatewayValidator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code webhook check -f FILE|DIR|-}: every validation error and route conflict, exit 1 when any.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Default, validate and conflict-check the objects as the webhooks would; exit 1 on any error.")
final class CheckCommand implements Callable<Integer> {
  @Mixin ManifestInput input;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<List<OfflineObjects.Defaulted>> input = this.input.defaulted(err);
    if (input.isEmpty()) {
      return 2;
    }
    List<OfflineObjects.Defaulted> objects = input.get();
    GatewayCatalog catalog = OfflineObjects.catalogOf(objects);
    ConflictIndex index = new ConflictIndex();
    ConflictChecker conflicts = new ConflictChecker(catalog, index);
    int problems = 0;
    for (OfflineObjects.Defaulted object : objects) {
      List<FieldError> errors = new ArrayList<>();
      List<FieldError> clashes = List.of();
      boolean routed =
          OfflineObjects.isFunction(object.object()) || OfflineObjects.isHttpRoute(object.object());
      if (OfflineObjects.isFunction(object.object())) {
        errors.addAll(FunctionValidator.validate(object.object(), Checks.FULL));
      } else if (OfflineObjects.isOfnGateway(object.object())) {
        errors.addAll(GatewayValidator.validate(object.object(), Checks.FULL, catalog));
      }
      if (routed) {
        // Earlier files win, as the older object wins in a cluster: later ones are reported against
        // them.
        ConflictCheck check = conflicts.check(object.object());
        clashes = check.errors();
        index.put(check.keys());
      }
      List<String> lines = new ArrayList<>(FieldErrors.renderAll(errors));
      lines.addAll(FieldErrors.renderAll(clashes));
      for (String line : lines) {
        out.println(object.file() + ": " + object.describe() + ": " + line);
        problems++;
      }
    }
    out.flush();
    return problems == 0 ? 0 : 1;
  }
}
