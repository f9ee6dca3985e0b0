package dev.ofn.webhook.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code webhook serve|default|check|certs|unregister}. Bad flags: one line on stderr, exit 2. */
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
      UnregisterCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  /** Runs a command line and returns its exit code (tests call this without exiting). */
  public static int run(String[] args, Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main());
    cli.setDefaultValueProvider(new EnvDefaults(env));
    cli.setParameterExceptionHandler(
        (e, argv) -> {
          e.getCommandLine()
              .getErr()
              .println(
                  "webhook: "
                      + e.getMessage()
                      + " (see: webhook "
                      + e.getCommandLine().getCommandName()
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

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ofn-webhook " + dev.ofn.webhook.BuildVersion.get()};
    }
  }
}
