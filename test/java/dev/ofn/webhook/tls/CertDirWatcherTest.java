package dev.ofn.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertDirWatcherTest {
  @TempDir Path dir;

  /** As cert-manager's Secret is mounted: ca.crt, tls.crt, tls.key, no CA key. */
  void mount(CertBundle bundle) throws IOException {
    Files.writeString(dir.resolve("ca.crt"), bundle.caCertPem());
    Files.writeString(dir.resolve("tls.crt"), bundle.certPem());
    Files.writeString(dir.resolve("tls.key"), bundle.keyPem());
  }

  @Test
  void servesWhatIsMountedAndReloadsRenewals() throws IOException {
    Sans sans = Sans.service("ofn-webhook", "ofn-webhook-system");
    CertificateAuthority ca = CertificateAuthority.generate(Clock.systemUTC());
    CertBundle first = ca.issue(sans);
    List<CertBundle> delivered = new CopyOnWriteArrayList<>();
    try (CertDirWatcher watcher =
        new CertDirWatcher(dir, Duration.ofHours(1), Clock.systemUTC(), delivered::add)) {
      assertTrue(watcher.start().isEmpty(), "nothing mounted yet");
      mount(first);
      watcher.poll();
      CertBundle withoutCaKey =
          new CertBundle(first.caCertPem(), null, first.certPem(), first.keyPem());
      assertEquals(List.of(withoutCaKey), delivered);
      watcher.poll();
      assertEquals(1, delivered.size(), "unchanged files are not delivered again");

      Files.writeString(dir.resolve("tls.key"), "half a key");
      watcher.poll();
      assertEquals(1, delivered.size(), "a torn write is not served");

      CertBundle second = ca.issue(sans);
      mount(second);
      watcher.poll();
      assertEquals(second.certPem(), delivered.get(1).certPem());
      assertEquals(second.certPem(), watcher.current().orElseThrow().certPem());
    }
  }
}
