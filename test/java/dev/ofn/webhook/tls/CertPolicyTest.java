package dev.ofn.webhook.tls;

import static dev.ofn.webhook.tls.CertPolicy.Action.NEW_CA;
import static dev.ofn.webhook.tls.CertPolicy.Action.OK;
import static dev.ofn.webhook.tls.CertPolicy.Action.RENEW_LEAF;
import static dev.ofn.webhook.tls.CertPolicy.Action.ROLL_CA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CertPolicyTest {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static final Sans SANS = Sans.standalone(List.of("webhook.local"), List.of());
  static final CertificateAuthority CA =
      CertificateAuthority.generate(Clock.fixed(T0, ZoneOffset.UTC));
  static final CertificateAuthority OTHER_CA =
      CertificateAuthority.generate(Clock.fixed(T0, ZoneOffset.UTC));
  static final CertBundle GOOD = CA.issue(SANS);
  static final CertBundle OTHER = OTHER_CA.issue(SANS);
  static final CertBundle NO_CA_KEY =
      new CertBundle(GOOD.caCertPem(), null, GOOD.certPem(), GOOD.keyPem());

  /**
   * One row: a bundle looked at {@code days} after T0 must get {@code action} and a reason starting
   * with {@code reason}.
   */
  record Case(
      String name,
      CertBundle bundle,
      Sans wanted,
      double days,
      CertPolicy.Action action,
      String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    String bad = "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n";
    CertBundle futureLeaf =
        CertificateAuthority.of(GOOD, Clock.fixed(T0.plus(Duration.ofDays(10)), ZoneOffset.UTC))
            .issue(SANS);
    CertBundle lateLeaf =
        CertificateAuthority.of(GOOD, Clock.fixed(T0.plus(Duration.ofDays(320)), ZoneOffset.UTC))
            .issue(SANS);
    return Stream.of(
        new Case(
            "fresh",
            GOOD,
            SANS,
            1,
            OK,
            "tls.crt is valid until 2025-03-31T12:00:00Z (29 days): kept"),
        new Case(
            "any names accepted when none wanted", GOOD, null, 1, OK, "tls.crt is valid until"),
        new Case(
            "11 days left",
            GOOD,
            SANS,
            19,
            OK,
            "tls.crt is valid until 2025-03-31T12:00:00Z (11 days)"),
        new Case("5 days left", GOOD, SANS, 25, RENEW_LEAF, "tls.crt expires in 5 days: renewed"),
        new Case(
            "hours left", GOOD, SANS, 29.75, RENEW_LEAF, "tls.crt expires in 6 hours: renewed"),
        new Case(
            "expired leaf",
            GOOD,
            SANS,
            31,
            RENEW_LEAF,
            "tls.crt expired on 2025-03-31T12:00:00Z: renewed"),
        new Case(
            "leaf not yet valid",
            futureLeaf,
            SANS,
            5,
            RENEW_LEAF,
            "tls.crt is not valid before 2025-03-11T11:55:00Z: renewed"),
        new Case(
            "CA not yet valid",
            GOOD,
            SANS,
            -1,
            NEW_CA,
            "ca.crt is not valid before 2025-03-01T11:55:00Z: new CA"),
        new Case(
            "names added",
            GOOD,
            Sans.standalone(List.of("webhook.local", "x.example"), List.of()),
            1,
            RENEW_LEAF,
            "tls.crt names [localhost, webhook.local, 127.0.0.1] differ from the wanted [localhost, webhook.local, x.example, 127.0.0.1]: renewed"),
        new Case(
            "names removed",
            GOOD,
            Sans.standalone(List.of(), List.of()),
            1,
            RENEW_LEAF,
            "tls.crt names [localhost, webhook.local, 127.0.0.1] differ"),
        new Case(
            "leaf of another CA",
            TlsFixtures.withLeaf(GOOD, OTHER.certPem(), OTHER.keyPem()),
            SANS,
            1,
            RENEW_LEAF,
            "tls.crt is not signed by ca.crt: renewed"),
        new Case(
            "key of another leaf",
            TlsFixtures.withLeaf(GOOD, GOOD.certPem(), OTHER.keyPem()),
            SANS,
            1,
            RENEW_LEAF,
            "tls.key does not match tls.crt: regenerated"),
        new Case(
            "corrupt key",
            TlsFixtures.withLeaf(GOOD, GOOD.certPem(), bad),
            SANS,
            1,
            RENEW_LEAF,
            "tls.key is not a valid PEM key (malformed PEM"),
        new Case(
            "missing key",
            TlsFixtures.withLeaf(GOOD, GOOD.certPem(), null),
            SANS,
            1,
            RENEW_LEAF,
            "tls.key is missing: regenerated"),
        new Case(
            "corrupt cert",
            TlsFixtures.withLeaf(GOOD, "junk", GOOD.keyPem()),
            SANS,
            1,
            RENEW_LEAF,
            "tls.crt is not a valid PEM certificate (no PEM block found): regenerated"),
        new Case(
            "missing cert",
            TlsFixtures.withLeaf(GOOD, " ", GOOD.keyPem()),
            SANS,
            1,
            RENEW_LEAF,
            "tls.crt is missing: created"),
        new Case("CA 35 days left", GOOD, SANS, 330, ROLL_CA, "ca.crt expires in 35 days: new CA"),
        new Case(
            "CA 41 days left, fresh leaf",
            lateLeaf,
            SANS,
            324,
            OK,
            "tls.crt is valid until 2026-02-14T12:00:00Z (26 days)"),
        new Case(
            "expired CA",
            GOOD,
            SANS,
            400,
            NEW_CA,
            "ca.crt expired on 2026-03-01T12:00:00Z: new CA"),
        new Case(
            "missing CA",
            new CertBundle(null, null, null, null),
            SANS,
            1,
            NEW_CA,
            "ca.crt is missing: created"),
        new Case(
            "corrupt CA",
            new CertBundle(
                "-----BEGIN CERTIFICATE-----\n", GOOD.caKeyPem(), GOOD.certPem(), GOOD.keyPem()),
            SANS,
            1,
            NEW_CA,
            "ca.crt is not a valid PEM certificate (malformed PEM"),
        new Case(
            "CA is a leaf",
            new CertBundle(GOOD.certPem(), GOOD.keyPem(), GOOD.certPem(), GOOD.keyPem()),
            SANS,
            1,
            NEW_CA,
            "ca.crt is not a CA certificate: regenerated"),
        new Case(
            "corrupt CA key",
            new CertBundle(GOOD.caCertPem(), "x", GOOD.certPem(), GOOD.keyPem()),
            SANS,
            1,
            NEW_CA,
            "ca.key is not a valid PEM key (no PEM block found): regenerated"),
        new Case(
            "CA key of another CA",
            new CertBundle(GOOD.caCertPem(), OTHER.caKeyPem(), GOOD.certPem(), GOOD.keyPem()),
            SANS,
            1,
            NEW_CA,
            "ca.key does not match ca.crt: regenerated"),
        new Case("no CA key, fine leaf", NO_CA_KEY, SANS, 1, OK, "tls.crt is valid until"),
        new Case(
            "no CA key, CA near its end is not ours to roll",
            new CertBundle(lateLeaf.caCertPem(), null, lateLeaf.certPem(), lateLeaf.keyPem()),
            SANS,
            330,
            OK,
            "tls.crt is valid until 2026-02-14T12:00:00Z (20 days)"),
        new Case(
            "no CA key, leaf expiring",
            NO_CA_KEY,
            SANS,
            25,
            NEW_CA,
            "tls.crt expires in 5 days and there is no ca.key to renew it: new CA"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    Instant now = T0.plusMillis((long) (c.days() * 86_400_000L));
    CertPolicy.Decision decision = CertPolicy.DEFAULT.decide(c.bundle(), c.wanted(), now);
    assertEquals(c.action(), decision.action(), decision.reason());
    assertTrue(decision.reason().startsWith(c.reason()), "reason was: " + decision.reason());
    assertEquals("certs/" + decision.reason(), decision.reason("certs/"));
  }
}
