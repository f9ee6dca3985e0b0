package dev.ofn.webhook.tls;

import static dev.ofn.webhook.tls.CertBundle.CA_CRT;
import static dev.ofn.webhook.tls.CertBundle.CA_KEY;
import static dev.ofn.webhook.tls.CertBundle.TLS_CRT;
import static dev.ofn.webhook.tls.CertBundle.TLS_KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertFilesTest {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static final Sans SANS = Sans.standalone(List.of("webhook.local"), List.of("10.0.0.7"));

  @TempDir Path tmp;

  static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  CertFiles.Outcome refresh(Path dir, Instant now) {
    return CertFiles.refresh(dir, SANS, at(now), CertPolicy.DEFAULT);
  }

  @Test
  void freshDirectoryGetsACaAndServingCert() throws IOException {
    Path dir = tmp.resolve("certs");
    CertFiles.Outcome outcome = refresh(dir, T0);
    assertEquals(CertPolicy.Action.NEW_CA, outcome.action());
    assertEquals(
        dir
            + "/ holds no certificates: created a CA and a serving certificate for localhost, webhook.local, 10.0.0.7, 127.0.0.1",
        outcome.logLine());
    assertTrue(outcome.persisted());
    assertEquals(outcome.bundle(), read(dir));
    assertEquals("rw-------", permissions(dir.resolve(CA_KEY)));
    assertEquals("rw-------", permissions(dir.resolve(TLS_KEY)));
    assertEquals("rw-r--r--", permissions(dir.resolve(TLS_CRT)));
    assertEquals(List.of(CA_CRT, CA_KEY, TLS_CRT, TLS_KEY), list(dir), "no temp files left behind");
  }

  @Test
  void validFilesAreReusedByteForByte() throws IOException {
    refresh(tmp, T0);
    Map<String, byte[]> before = bytes(tmp);
    Map<String, Long> mtimes = mtimes(tmp);
    CertFiles.Outcome outcome = refresh(tmp, T0.plus(Duration.ofDays(5)));
    assertEquals(CertPolicy.Action.OK, outcome.action());
    assertEquals(
        tmp + "/tls.crt is valid until 2025-03-31T12:00:00Z (25 days): kept", outcome.logLine());
    before.forEach((name, content) -> assertArrayEquals(content, bytes(tmp).get(name), name));
    assertEquals(mtimes, mtimes(tmp), "nothing rewritten");
  }

  @Test
  void nearExpiryRenewsTheLeafAndKeepsTheCa() throws IOException {
    CertBundle first = refresh(tmp, T0).bundle();
    Map<String, byte[]> before = bytes(tmp);
    CertFiles.Outcome outcome = refresh(tmp, T0.plus(Duration.ofDays(27)));
    assertEquals(tmp + "/tls.crt expires in 3 days: renewed", outcome.logLine());
    assertArrayEquals(before.get(CA_CRT), bytes(tmp).get(CA_CRT));
    assertArrayEquals(before.get(CA_KEY), bytes(tmp).get(CA_KEY));
    assertNotEquals(first.certPem(), outcome.bundle().certPem());
    assertNotEquals(first.keyPem(), outcome.bundle().keyPem());
    assertEquals(T0.plus(Duration.ofDays(57)), outcome.bundle().notAfter());
    assertTrue(CertPolicy.DEFAULT.decide(read(tmp), SANS, T0.plus(Duration.ofDays(27))).ok());
  }

  @Test
  void corruptKeyIsRegenerated() throws IOException {
    refresh(tmp, T0);
    Files.writeString(tmp.resolve(TLS_KEY), "-----BEGIN PRIVATE KEY-----\ntruncated");
    CertFiles.Outcome outcome = refresh(tmp, T0.plus(Duration.ofDays(1)));
    assertTrue(
        outcome.logLine().startsWith(tmp + "/tls.key is not a valid PEM key ("), outcome.logLine());
    assertTrue(outcome.logLine().endsWith("): regenerated"), outcome.logLine());
    assertOk(tmp, T0.plus(Duration.ofDays(1)));
  }

  @Test
  void binaryGarbageInTheCaIsANewCa() throws IOException {
    refresh(tmp, T0);
    Files.write(tmp.resolve(CA_CRT), new byte[] {0, (byte) 0xff, (byte) 0xfe, 10, 13});
    CertFiles.Outcome outcome = refresh(tmp, T0);
    assertEquals(
        tmp + "/ca.crt is not a valid PEM certificate (no PEM block found): regenerated",
        outcome.logLine());
    assertOk(tmp, T0);
  }

  @Test
  void leafOfAnotherCaIsDetectedAndReissuedByOurs() throws IOException {
    CertBundle ours = refresh(tmp, T0).bundle();
    CertBundle theirs = CertificateAuthority.generate(at(T0)).issue(SANS);
    Files.writeString(tmp.resolve(TLS_CRT), theirs.certPem());
    Files.writeString(tmp.resolve(TLS_KEY), theirs.keyPem());
    CertFiles.Outcome outcome = refresh(tmp, T0.plus(Duration.ofDays(1)));
    assertEquals(tmp + "/tls.crt is not signed by ca.crt: renewed", outcome.logLine());
    assertEquals(ours.caCertPem(), outcome.bundle().caCertPem(), "our CA kept");
    assertTrue(Keys.signedBy(read(tmp).certificate(), ours.caCertificate()));
    assertOk(tmp, T0.plus(Duration.ofDays(1)));
  }

  @Test
  void changedNamesRenewTheLeaf() {
    refresh(tmp, T0);
    CertFiles.Outcome outcome =
        CertFiles.refresh(tmp, Sans.standalone(List.of(), List.of()), at(T0), CertPolicy.DEFAULT);
    assertEquals(
        tmp
            + "/tls.crt names [localhost, webhook.local, 10.0.0.7, 127.0.0.1] differ from the wanted [localhost, 127.0.0.1]: renewed",
        outcome.logLine());
  }

  @Test
  void caNearItsEndIsReplacedWithEverything() throws IOException {
    CertBundle first = refresh(tmp, T0).bundle();
    CertFiles.Outcome outcome = refresh(tmp, T0.plus(Duration.ofDays(330)));
    assertEquals(CertPolicy.Action.ROLL_CA, outcome.action());
    assertEquals(tmp + "/ca.crt expires in 35 days: new CA", outcome.logLine());
    assertNotEquals(first.caCertPem(), read(tmp).caCertPem());
    assertOk(tmp, T0.plus(Duration.ofDays(330)));
  }

  @Test
  void userCertsWithoutCaKeyAreServedAsTheyAre() throws IOException {
    CertBundle theirs = CertificateAuthority.generate(at(T0)).issue(SANS);
    Files.writeString(tmp.resolve(CA_CRT), theirs.caCertPem());
    Files.writeString(tmp.resolve(TLS_CRT), theirs.certPem());
    Files.writeString(tmp.resolve(TLS_KEY), theirs.keyPem());
    CertFiles.Outcome outcome = refresh(tmp, T0);
    assertEquals(CertPolicy.Action.OK, outcome.action());
    assertEquals(
        new CertBundle(theirs.caCertPem(), null, theirs.certPem(), theirs.keyPem()),
        outcome.bundle());
    assertFalse(Files.exists(tmp.resolve(CA_KEY)));
  }

  @Test
  void unreadableKeyIsRegenerated() throws IOException {
    assumeFalse(
        Files.isReadable(lockedFile()), "this user (root?) reads files it has no permission for");
    refresh(tmp, T0);
    Files.setPosixFilePermissions(
        tmp.resolve(TLS_KEY), PosixFilePermissions.fromString("---------"));
    CertFiles.Outcome outcome = refresh(tmp, T0);
    assertEquals(
        tmp + "/tls.key is unreadable (permission denied): regenerated", outcome.logLine());
    assertOk(tmp, T0);
  }

  @Test
  void aDirectoryWhereAKeyShouldBeNeverCrashes() throws IOException {
    refresh(tmp, T0);
    Files.delete(tmp.resolve(TLS_KEY));
    Files.createDirectories(tmp.resolve(TLS_KEY).resolve("child"));
    CertFiles.Outcome outcome = refresh(tmp, T0);
    assertTrue(outcome.logLine().startsWith(tmp + "/tls.key is unreadable ("), outcome.logLine());
    assertFalse(outcome.persisted(), "a non-empty directory cannot be replaced");
    assertTrue(
        outcome.logLine().contains("serving the new certificates from memory"), outcome.logLine());
    assertTrue(CertPolicy.DEFAULT.decide(outcome.bundle(), SANS, T0).ok());
  }

  @Test
  void openKeyPermissionsAreTightened() throws IOException {
    refresh(tmp, T0);
    Files.setPosixFilePermissions(
        tmp.resolve(TLS_KEY), PosixFilePermissions.fromString("rw-r--r--"));
    CertFiles.Outcome outcome = refresh(tmp, T0);
    assertTrue(outcome.logLine().endsWith("; tls.key permissions set to 0600"), outcome.logLine());
    assertEquals("rw-------", permissions(tmp.resolve(TLS_KEY)));
  }

  @Test
  void ensureAddsTheDefaultNames() {
    CertBundle bundle =
        CertFiles.ensure(tmp, List.of("extra.example"), List.of(), Clock.systemUTC());
    assertEquals(
        List.of("extra.example", "localhost", "127.0.0.1"), CertPolicy.names(bundle.certificate()));
  }

  @Test
  void writeCertsWritesAFreshSetAndReportsIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CertFiles.writeCerts(
            tmp.resolve("out"),
            List.of("a.example"),
            List.of("192.168.1.2"),
            at(T0),
            print(out),
            print(err));
    assertEquals(0, code, err.toString());
    assertTrue(
        out.toString()
            .contains(
                "serving certificate for a.example, localhost, 127.0.0.1, 192.168.1.2, valid until 2025-03-31T12:00:00Z"),
        out.toString());
    assertTrue(
        CertPolicy.DEFAULT
            .decide(
                read(tmp.resolve("out")),
                Sans.standalone(List.of("a.example"), List.of("192.168.1.2")),
                T0)
            .ok());
  }

  @Test
  void writeCertsRefusesBadNamesWithUsageCode() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CertFiles.writeCerts(
            tmp,
            List.of("not a name"),
            List.of(),
            at(T0),
            print(new ByteArrayOutputStream()),
            print(err));
    assertEquals(2, code);
    assertEquals("webhook certs: not a DNS name: 'not a name'\n", err.toString());
    assertEquals(
        2,
        CertFiles.writeCerts(
            tmp,
            List.of(),
            List.of("300.1.1.1"),
            at(T0),
            print(new ByteArrayOutputStream()),
            print(err)));
  }

  @Test
  void writeCertsReportsAnUnwritableDirectory() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(
        2,
        CertFiles.writeCerts(
            file, List.of(), List.of(), at(T0), print(new ByteArrayOutputStream()), print(err)));
    assertTrue(err.toString().startsWith("webhook certs: cannot write " + file), err.toString());
  }

  private Path lockedFile() throws IOException {
    Path probe = Files.writeString(tmp.resolve("probe"), "x");
    Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
    return probe;
  }

  private static void assertOk(Path dir, Instant now) {
    CertPolicy.Decision decision = CertPolicy.DEFAULT.decide(read(dir), SANS, now);
    assertTrue(decision.ok(), decision.reason());
  }

  static CertBundle read(Path dir) {
    Map<String, byte[]> b = bytes(dir);
    return new CertBundle(
        text(b.get(CA_CRT)), text(b.get(CA_KEY)), text(b.get(TLS_CRT)), text(b.get(TLS_KEY)));
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.US_ASCII);
  }

  private static Map<String, byte[]> bytes(Path dir) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : List.of(CA_CRT, CA_KEY, TLS_CRT, TLS_KEY)) {
      try {
        files.put(name, Files.readAllBytes(dir.resolve(name)));
      } catch (IOException e) {
        // absent
      }
    }
    return files;
  }

  private static Map<String, Long> mtimes(Path dir) throws IOException {
    Map<String, Long> times = new LinkedHashMap<>();
    for (String name : List.of(CA_CRT, CA_KEY, TLS_CRT, TLS_KEY)) {
      times.put(name, Files.getLastModifiedTime(dir.resolve(name)).toMillis());
    }
    return times;
  }

  private static List<String> list(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String permissions(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static PrintStream print(ByteArrayOutputStream out) {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }
}
