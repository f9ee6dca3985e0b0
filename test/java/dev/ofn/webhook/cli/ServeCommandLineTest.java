package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.BuildInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

  @Test
  void anUnknownCommandPointsAtTheRootHelp() {
    MainTest.Run run = MainTest.run(Map.of(), "webhook");
    assertEquals(2, run.code());
    assertEquals(
        "webhook: Unmatched argument at index 0: 'webhook' (see: webhook --help)",
        run.err().strip());
  }
}
