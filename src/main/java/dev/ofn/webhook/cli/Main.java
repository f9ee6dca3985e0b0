package dev.ofn.webhook.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code webhook serve|default|check|certs|unregister|verify}. Bad flags: one line on stderr, exit
 * 2.
 */
@Command(
    name = "webhook",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Admission webhook and defaulting server for OpenFunction networking objects.",
    subcommands = {
      ServeCommand.class,
      DefaultCommand.class,
      CheckCommand.class,
      CertsCommand.class,
      UnregisterCommand.class,
      VerifyCommand.class,
      TrainCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  /** Runs a command line and returns its exit code (tests call this without exiting). */
  public static int run(String[] args, Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main());
    cli.setDefaultValueProvider(new EnvDefaults(env));
    documentDefaultsAndEnvironment(cli);
    cli.setParameterExceptionHandler(
        (e, argv) -> {
          e.getCommandLine()
              .getErr()
              .println(
                  "webhook: "
                      + e.getMessage()
                      + " (see: "
                      + e.getCommandLine().getCommandSpec().qualifiedName()
                      + " --help)");
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("webhook: " + e.getMessage());
          return 2;
        });
    return cli.execute(args);
  }

  /**
   * Every option's help ends with its default (unless its text already names one) and the {@code
   * OFN_WEBHOOK_*} variable it falls back to (see {@link EnvDefaults}).
   */
  static void documentDefaultsAndEnvironment(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    spec.usageMessage().showDefaultValues(true);
    for (OptionSpec option : List.copyOf(spec.options())) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      List<String> description = new ArrayList<>(List.of(option.description()));
      boolean namesDefault =
          String.join(" ", description).toLowerCase(Locale.ROOT).contains("default");
      String defaults =
          (namesDefault || option.defaultValue() == null ? "" : "Default: ${DEFAULT-VALUE}. ")
              + "Env: "
              + EnvDefaults.variable(option.longestName())
              + ".";
      description.add(defaults);
      OptionSpec documented =
          option.toBuilder()
              .description(description.toArray(String[]::new))
              .showDefaultValue(CommandLine.Help.Visibility.NEVER)
              .build();
      spec.remove(option);
      spec.addOption(documented);
    }
    command.getSubcommands().values().forEach(Main::documentDefaultsAndEnvironment);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ofn-webhook " + dev.ofn.webhook.BuildInfo.version()};
    }
  }
}
