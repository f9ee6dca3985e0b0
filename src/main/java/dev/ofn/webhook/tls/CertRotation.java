package dev.ofn.webhook.tls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The leader's next step for the certificate Secret, decided without I/O (docs/behaviour.md §10).
 * One step per call; the caller writes the result and asks again, until {@link Plan#changed()} is
 * false.
 *
 * @param policy when to renew and when to roll
 * @param publishDelay how long both configurations must have trusted a new CA before it serves (1
 *     min)
 * @param previousCaRetention how long the rolled-out CA stays trusted after the switch: replicas
 *     reload the Secret within seconds of the change; this is the margin for one whose watch was
 *     down
 */
public record CertRotation(CertPolicy policy, Duration publishDelay, Duration previousCaRetention) {
  public static final CertRotation DEFAULT =
      new CertRotation(CertPolicy.DEFAULT, Duration.ofMinutes(1), Duration.ofMinutes(10));

  /**
   * @param next what to store, or null to leave the Secret alone; @param reason for the log line
   */
  public record Plan(StoredCerts next, String reason) {
    public boolean changed() {
      return next != null;
    }
  }

  /**
   * @param stored the Secret's content, or null when there is none
   * @param trustPublished true when every existing webhook configuration trusts {@code
   *     stored.trustBundle()}
   */
  public Plan plan(StoredCerts stored, Sans sans, boolean trustPublished, Clock clock) {
    Instant now = clock.instant();
    if (stored == null) {
      return new Plan(
          fresh(sans, clock), "does not exist: created a CA and a serving certificate for " + sans);
    }
    CertPolicy.Decision decision = policy.decide(stored.bundle(), sans, now);
    switch (decision.action()) {
      case NEW_CA:
        // The CA in place is broken or gone: nothing to roll from, replace at once.
        return new Plan(fresh(sans, clock), decision.reason());
      case RENEW_LEAF:
        return new Plan(
            stored.withBundle(CertificateAuthority.of(stored.bundle(), clock).issue(sans)),
            decision.reason());
      case ROLL_CA:
        {
          // The leaf may need renewing while a roll waits for the configurations; the old CA still
          // signs.
          CertPolicy.Decision leaf =
              new CertPolicy(policy.renewLeafBefore(), Duration.ZERO)
                  .decide(stored.bundle(), sans, now);
          if (leaf.action() == CertPolicy.Action.RENEW_LEAF) {
            return new Plan(
                stored.withBundle(CertificateAuthority.of(stored.bundle(), clock).issue(sans)),
                leaf.reason());
          }
          break;
        }
      default:
        break;
    }
    if (stored.previousCaPem() != null
        && (stored.switchedAt() == null
            || !now.isBefore(stored.switchedAt().plus(previousCaRetention)))) {
      return new Plan(
          new StoredCerts(
              stored.bundle(),
              stored.nextCaPem(),
              stored.nextCaKeyPem(),
              null,
              stored.nextCaPublishedAt(),
              null),
          "previous CA dropped from caBundle: serving certificates come from the new CA since "
              + stored.switchedAt());
    }
    if (stored.rolling()) {
      return advanceRoll(stored, sans, trustPublished, clock);
    }
    if (decision.action() == CertPolicy.Action.ROLL_CA) {
      CertificateAuthority next = CertificateAuthority.generate(clock);
      return new Plan(
          new StoredCerts(
              stored.bundle(),
              next.certificatePem(),
              next.keyPem(),
              stored.previousCaPem(),
              null,
              null),
          decision.item()
              + " "
              + decision.problem()
              + ": new CA published next to it, serving from it once both webhook configurations trust it");
    }
    return new Plan(null, decision.reason());
  }

  private Plan advanceRoll(StoredCerts stored, Sans sans, boolean trustPublished, Clock clock) {
    Instant now = clock.instant();
    CertificateAuthority next;
    try {
      next =
          CertificateAuthority.of(
              new CertBundle(stored.nextCaPem(), stored.nextCaKeyPem(), null, null), clock);
    } catch (PemException e) {
      return new Plan(
          new StoredCerts(stored.bundle(), null, null, stored.previousCaPem(), null, null),
          "next-ca.crt / next-ca.key are unusable (" + e.getMessage() + "): roll restarted");
    }
    if (!trustPublished) {
      return new Plan(null, "new CA waits for both webhook configurations to trust it");
    }
    if (stored.nextCaPublishedAt() == null) {
      return new Plan(
          new StoredCerts(
              stored.bundle(),
              stored.nextCaPem(),
              stored.nextCaKeyPem(),
              stored.previousCaPem(),
              now,
              null),
          "both webhook configurations trust the new CA: serving from it in "
              + publishDelay.toSeconds()
              + " s");
    }
    if (now.isBefore(stored.nextCaPublishedAt().plus(publishDelay))) {
      return new Plan(
          null, "new CA published at " + stored.nextCaPublishedAt() + ": switch pending");
    }
    CertBundle switched = next.issue(sans);
    return new Plan(
        new StoredCerts(switched, null, null, stored.bundle().caCertPem(), null, now),
        "serving certificate switched to the new CA; the old CA stays trusted for "
            + previousCaRetention.toMinutes()
            + " min");
  }

  private static StoredCerts fresh(Sans sans, Clock clock) {
    return StoredCerts.of(CertificateAuthority.generate(clock).issue(sans));
  }
}
