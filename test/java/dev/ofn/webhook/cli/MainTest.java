package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes, one-line errors, env fallbacks. */
class MainTest {
  record Run(int code, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args, env);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void unknownFlagIsOneLineAndExit2() {
    Run run = run(Map.of(), "serve", "--bogus");
    assertEquals(2, run.code());
    assertEquals(
        "webhook: Unknown option: '--bogus' (see: webhook serve --help)", run.err().strip());
  }

  @Test
  void unreadableFileIsOneLineAndExit2() {
    Run run = run(Map.of(), "check", "-f", "/no/such/file.yaml");
    assertEquals(2, run.code());
    assertEquals("/no/such/file.yaml: cannot read: no such file", run.err().strip());
  }

  @Test
  void yamlThatDoesNotParseNamesFileAndLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "apiVersion: v1\nkind: Function\nmetadata:\n  name: [unclosed\n");
    Run run = run(Map.of(), "default", "-f", file.toString());
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith(file + ": line 4: while parsing a flow sequence"), run.err());
  }

  @Test
  void checkPrintsEveryErrorWithFileKindAndNameAndExits1(@TempDir Path dir) throws Exception {
    var function = Fixtures.load("function-sample-serving-only.yaml");
    ((tools.jackson.databind.node.ObjectNode) function.path("spec")).remove("image");
    Path file = dir.resolve("f.yaml");
    Files.writeString(file, Json.YAML.writeValueAsString(function));
    Run run = run(Map.of(), "check", "-f", file.toString(), "-n", "team-a");
    assertEquals(1, run.code());
    assertEquals(
        file
            + ": Function team-a/function-sample-serving-only: spec.image: Required value: must be specified",
        run.out().strip());
  }

  @Test
  void checkOfTheFixturesPrintsTheServersWarningsAndExits0() {
    Run run = run(Map.of(), "check", "-f", Fixtures.dir().toString());
    assertEquals(
        Fixtures.dir().resolve("function-kedahttp-sample-serving.yaml")
            + ": Function default/kedahttp-sample: warning: hostname podinfo.com matches no listener"
            + " of gateway projectcontour/contour",
        run.out().strip());
    assertEquals(0, run.code());
  }

  @Test
  void defaultReadsStdin() {
    var previous = System.in;
    try {
      System.setIn(
          Files.newInputStream(Fixtures.dir().resolve("function-sample-serving-only.yaml")));
      Run run = run(Map.of(), "default", "-f", "-", "-n", "prod");
      assertEquals(0, run.code());
      assertTrue(run.out().contains("- function-sample-serving-only.prod.ofn.io"), run.out());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      System.setIn(previous);
    }
  }

  @Test
  void flagsFallBackToEnvironmentVariables() {
    ServeCommand serve = new ServeCommand();
    CommandLine cli = new CommandLine(serve);
    cli.setDefaultValueProvider(
        new EnvDefaults(
            Map.of(
                "OFN_WEBHOOK_PORT",
                "10443",
                "OFN_WEBHOOK_PROBE_PORT",
                "10081",
                "OFN_WEBHOOK_CONTROLLER",
                "false")));
    cli.parseArgs("--probe-port", "9999");
    assertEquals(10443, serve.port);
    assertEquals(9999, serve.probePort, "a flag wins over the environment");
    assertEquals(false, serve.controller);
    assertEquals("OFN_WEBHOOK_SHUTDOWN_GRACE", EnvDefaults.variable("--shutdown-grace"));
  }
}
