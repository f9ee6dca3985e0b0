package dev.ofn.webhook.validation;

/**
 * Which checks a validator runs. {@link #PARITY} is OpenFunction's own set, for namespaces labelled
 * {@code ofn.io/webhook: parity-only} (the escape hatch when a beyond check gets in someone's way);
 * {@link #FULL} adds ours.
 */
public enum Checks {
  PARITY,
  FULL;

  /** True when the beyond checks run. */
  public boolean beyond() {
    return this == FULL;
  }
}
