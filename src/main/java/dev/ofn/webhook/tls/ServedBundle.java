package dev.ofn.webhook.tls;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle a replica serves, and the gate new ones pass on their way to the server: a bundle is
 * handed on only when its serving certificate or key changed and it can be served at all (parses,
 * key matches, chains to its CA, not expired). Otherwise the previous one stays, with a warning.
 */
final class ServedBundle {
  private static final Logger LOG = LoggerFactory.getLogger(ServedBundle.class);

  /**
   * Only "can this be served at all": renewal thresholds are the leader's (or cert-manager's)
   * business.
   */
  private static final CertPolicy SERVABLE = new CertPolicy(Duration.ZERO, Duration.ZERO);

  private final Clock clock;
  private final Consumer<CertBundle> onChange;
  private final AtomicReference<CertBundle> current = new AtomicReference<>();

  ServedBundle(Clock clock, Consumer<CertBundle> onChange) {
    this.clock = clock;
    this.onChange = onChange;
  }

  Optional<CertBundle> current() {
    return Optional.ofNullable(current.get());
  }

  /**
   * @param where log prefix naming the source, e.g. "Secret ns/name: "
   */
  synchronized boolean offer(CertBundle bundle, String where) {
    CertBundle before = current.get();
    if (before != null
        && Objects.equals(before.certPem(), bundle.certPem())
        && Objects.equals(before.keyPem(), bundle.keyPem())) {
      return false;
    }
    CertPolicy.Decision decision = SERVABLE.decide(bundle, null, clock.instant());
    if (!decision.ok()) {
      LOG.warn(
          "{}{} {}; not served, {}",
          where,
          decision.item(),
          decision.problem(),
          before == null ? "no certificate yet" : "the previous certificate stays");
      return false;
    }
    current.set(bundle);
    LOG.info("{}serving certificate valid until {} loaded", where, bundle.notAfter());
    onChange.accept(bundle);
    return true;
  }
}
