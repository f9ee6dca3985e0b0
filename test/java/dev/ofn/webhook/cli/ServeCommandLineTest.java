package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.BuildInfo;
import dev.ofn.webhook.app.ServeConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** What `webhook serve` tells a user about its flags before it starts anything. */
class ServeCommandLineTest {
  @Test
  void aMistypedCertModeExits2ListingTheChoices() {
    MainTest.Run run = MainTest.run(Map.of(), "serve", "--standalone", "--cert-mode=cert_manager");
    assertEquals(2, run.code());
    assertEquals(
        "webhook: Invalid value for option '--cert-mode': 'cert_manager' is not a certificate mode;"
            + " choose one of: self, cert-manager (see: webhook serve --help)",
        run.err().strip());
  }

  @Test
  void aMistypedCertModeInTheEnvironmentIsRefusedToo() {
    MainTest.Run run =
        MainTest.run(Map.of("OFN_WEBHOOK_CERT_MODE", "bogus"), "serve", "--standalone");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("'bogus' is not a certificate mode"), run.err());
  }

  @Test
  void versionIsThePomVersion() {
    MainTest.Run run = MainTest.run(Map.of(), "-V");
    assertEquals(0, run.code());
    assertEquals("ofn-webhook " + BuildInfo.version(), run.out().strip());
    assertTrue(BuildInfo.version().matches("\\d+\\.\\d+\\.\\d+.*"), BuildInfo.version());
  }

  @Test
  void helpShowsEachDefaultAndItsVariable() {
    MainTest.Run run = MainTest.run(Map.of(), "serve", "--help");
    assertEquals(0, run.code());
    String help = run.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("Default: 9443. Env: OFN_WEBHOOK_PORT."), help);
    assertTrue(help.contains("Default: self. Env: OFN_WEBHOOK_CERT_MODE."), help);
    assertTrue(help.contains("Default: 10s. Env: OFN_WEBHOOK_SHUTDOWN_GRACE."), help);
    assertTrue(help.contains("Env: OFN_WEBHOOK_REGISTER_URL."), help);
  }

  /** Tests and the training run build settings in code: from the same defaults as the flags. */
  @Test
  void theBuildersDefaultsAreTheFlagsDefaults() {
    assertEquals(ServeConfig.builder().build(), parse(Map.of()));
  }

  /** The warm-up is tuned by flags like everything else, and by its old variables still. */
  @Test
  void warmUpSettingsAreFlagsWithTheirVariables() {
    assertEquals(
        new ServeConfig.WarmUpPlan(0, Duration.ofMillis(500), 7, 3),
        parse(
                Map.of(
                    "OFN_WEBHOOK_WARMUP", "0",
                    "OFN_WEBHOOK_WARMUP_BUDGET", "500ms",
                    "OFN_WEBHOOK_WARMUP_HTTPS", "3"),
                "--warmup-after=7")
            .warmUp());
    MainTest.Run run = MainTest.run(Map.of("OFN_WEBHOOK_WARMUP", "many"), "serve");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("Invalid value for option '--warmup': 'many'"), run.err());
  }

  /** The controller's workers: 16 unless told, and never 0 (nothing would be reconciled). */
  @Test
  void controllerWorkersAreAPositiveCount() {
    assertEquals(16, parse(Map.of()).controllerWorkers());
    assertEquals(4, parse(Map.of("OFN_WEBHOOK_CONTROLLER_WORKERS", "4")).controllerWorkers());
    MainTest.Run run = MainTest.run(Map.of(), "serve", "--standalone", "--controller-workers=0");
    assertEquals(2, run.code());
    assertEquals(
        "webhook: Invalid value for option '--controller-workers': '0' is not a whole number of at"
            + " least 1 (see: webhook serve --help)",
        run.err().strip());
  }

  private static ServeConfig parse(Map<String, String> env, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setDefaultValueProvider(new EnvDefaults(env));
    String[] line = new String[args.length + 1];
    line[0] = "serve";
    System.arraycopy(args, 0, line, 1, args.length);
    ParseResult parsed = cli.parseArgs(line);
    return ((ServeCommand) parsed.subcommand().commandSpec().userObject()).config();
  }

  /** Serving without a cluster would register nothing: the apiserver would never call. */
  @Test
  void registerUrlWithoutAClusterIsAStartUpFailure() {
    MainTest.Run run =
        MainTest.run(
            Map.of("OFN_WEBHOOK_WARMUP", "0"),
            "serve",
            "--standalone",
            "--register-url=https://127.0.0.1:9443",
            "--port=0",
            "--probe-port=0");
    assertEquals(2, run.code(), run.err());
    assertTrue(
        run.err()
            .contains(
                "cannot start: --register-url https://127.0.0.1:9443 needs a cluster to register"
                    + " with: --standalone says there is none"),
        run.err());
  }

  @Test
  void anUnknownCommandPointsAtTheRootHelp() {
    MainTest.Run run = MainTest.run(Map.of(), "webhook");
    assertEquals(2, run.code());
    assertEquals(
        "webhook: Unmatched argument at index 0: 'webhook' (see: webhook --help)",
        run.err().strip());
  }
}
