package dev.ofn.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertRotationTest {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static final Sans SANS = Sans.service("ofn-webhook", "ofn-webhook-system");
  final MutableClock clock = new MutableClock(T0);
  final CertRotation rotation = CertRotation.DEFAULT;

  CertRotation.Plan plan(StoredCerts stored, boolean published) {
    return rotation.plan(stored, SANS, published, clock);
  }

  @Test
  void noSecretMeansAFreshOne() {
    CertRotation.Plan plan = plan(null, true);
    assertEquals(
        "does not exist: created a CA and a serving certificate for ofn-webhook, ofn-webhook.ofn-webhook-system, "
            + "ofn-webhook.ofn-webhook-system.svc, ofn-webhook.ofn-webhook-system.svc.cluster.local",
        plan.reason());
    assertTrue(CertPolicy.DEFAULT.decide(plan.next().bundle(), SANS, T0).ok());
    assertFalse(plan(plan.next(), true).changed(), "stable");
  }

  @Test
  void leafRenewalKeepsTheCa() {
    StoredCerts stored = plan(null, true).next();
    clock.advance(Duration.ofDays(25));
    CertRotation.Plan plan = plan(stored, true);
    assertEquals("tls.crt expires in 5 days: renewed", plan.reason());
    assertEquals(stored.bundle().caCertPem(), plan.next().bundle().caCertPem());
    assertEquals(stored.bundle().caKeyPem(), plan.next().bundle().caKeyPem());
  }

  @Test
  void corruptContentIsReplacedAtOnce() {
    StoredCerts stored = StoredCerts.of(new CertBundle("junk", "junk", "junk", "junk"));
    CertRotation.Plan plan = plan(stored, false);
    assertTrue(plan.reason().startsWith("ca.crt is not a valid PEM certificate"), plan.reason());
    assertTrue(CertPolicy.DEFAULT.decide(plan.next().bundle(), SANS, T0).ok());
  }

  /**
   * docs/behaviour.md §10: publish old + new, wait until both configurations show it and a minute
   * more, switch, drop the old.
   */
  @Test
  void caRollInOrder() {
    StoredCerts start = plan(null, true).next();
    String oldCa = start.bundle().caCertPem();
    clock.advance(Duration.ofDays(320));
    StoredCerts s = plan(start, true).next(); // leaf renewed (10 days left), still from the old CA
    assertEquals(oldCa, s.bundle().caCertPem());
    clock.advance(Duration.ofDays(6)); // CA: 39 days left

    CertRotation.Plan step1 = plan(s, true);
    assertEquals(
        "ca.crt expires in 39 days: new CA published next to it, serving from it once both webhook configurations trust it",
        step1.reason());
    s = step1.next();
    assertNotNull(s.nextCaPem());
    assertEquals(oldCa, s.bundle().caCertPem(), "still serving from the old CA");
    assertEquals(
        2, Pem.decodeCertificates(s.trustBundle()).size(), "caBundle to publish: old + new");

    CertRotation.Plan waiting = plan(s, false);
    assertFalse(waiting.changed());
    assertEquals("new CA waits for both webhook configurations to trust it", waiting.reason());

    CertRotation.Plan step2 = plan(s, true);
    s = step2.next();
    assertEquals(clock.instant(), s.nextCaPublishedAt());
    clock.advance(Duration.ofSeconds(59));
    assertFalse(plan(s, true).changed(), "a minute after publication, not before");
    clock.advance(Duration.ofSeconds(1));

    CertRotation.Plan step3 = plan(s, true);
    assertEquals(
        "serving certificate switched to the new CA; the old CA stays trusted for 10 min",
        step3.reason());
    StoredCerts switched = step3.next();
    assertEquals(s.nextCaPem(), switched.bundle().caCertPem());
    assertEquals(oldCa, switched.previousCaPem());
    assertNull(switched.nextCaPem());
    assertTrue(
        Keys.signedBy(switched.bundle().certificate(), Pem.decodeCertificate(s.nextCaPem())));
    assertTrue(CertPolicy.DEFAULT.decide(switched.bundle(), SANS, clock.instant()).ok());
    assertEquals(2, Pem.decodeCertificates(switched.trustBundle()).size(), "old CA still trusted");

    clock.advance(Duration.ofMinutes(9));
    assertFalse(plan(switched, true).changed());
    clock.advance(Duration.ofMinutes(1));
    CertRotation.Plan step4 = plan(switched, true);
    assertTrue(step4.reason().startsWith("previous CA dropped from caBundle"), step4.reason());
    assertEquals(
        List.of(Pem.decodeCertificate(switched.bundle().caCertPem())),
        Pem.decodeCertificates(step4.next().trustBundle()));
    assertFalse(plan(step4.next(), true).changed(), "done");
  }

  @Test
  void leafIsRenewedWhileARollWaits() {
    StoredCerts start = plan(null, true).next();
    clock.advance(Duration.ofDays(326));
    StoredCerts renewedEarlier = plan(start, true).next(); // leaf renewal wins over the roll
    assertNull(renewedEarlier.nextCaPem());
    StoredCerts rolling = plan(renewedEarlier, true).next();
    assertNotNull(rolling.nextCaPem());
    clock.advance(
        Duration.ofDays(21)); // the configurations never trusted the new CA; the leaf nears its end
    CertRotation.Plan plan = plan(rolling, false);
    assertEquals("tls.crt expires in 9 days: renewed", plan.reason());
    assertEquals(rolling.nextCaPem(), plan.next().nextCaPem(), "roll state kept");
  }

  @Test
  void corruptNextCaRestartsTheRoll() {
    StoredCerts start = plan(null, true).next();
    clock.advance(Duration.ofDays(330));
    StoredCerts broken =
        new StoredCerts(plan(start, true).next().bundle(), "junk", "junk", null, null, null);
    CertRotation.Plan plan = plan(broken, true);
    assertTrue(plan.reason().startsWith("next-ca.crt / next-ca.key are unusable"), plan.reason());
    assertNull(plan.next().nextCaPem());
    assertNotEquals("", plan.next().trustBundle());
  }
}
