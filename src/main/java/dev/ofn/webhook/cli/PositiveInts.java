package dev.ofn.webhook.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A count that must be at least 1 (e.g. workers: 0 would never reconcile anything). */
final class PositiveInts implements ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new TypeConversionException("'" + value + "' is not a whole number of at least 1");
  }
}
