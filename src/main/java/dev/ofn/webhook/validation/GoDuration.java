package dev.ofn.webhook.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * A Go {@code time.Duration} as the Function CRD stores it ({@code metav1.Duration}: a string such
 * as {@code "10m"} or {@code "-1h30m"}). OpenFunction compares the parsed value with 0 and prints
 * it with {@code Duration.String()} ({@code -10m0s}); parsing and printing like Go keeps both the
 * decision ({@code "-0s"} is not negative) and the message identical.
 */
record GoDuration(long nanos) {
  private static final Map<String, Long> UNITS =
      Map.of(
          "ns",
          1L,
          "us",
          1_000L,
          "\u00b5s",
          1_000L,
          "\u03bcs",
          1_000L,
          "ms",
          1_000_000L,
          "s",
          1_000_000_000L,
          "m",
          60_000_000_000L,
          "h",
          3_600_000_000_000L);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** Go's {@code time.ParseDuration}; empty when Go would refuse the text. */
  static Optional<GoDuration> parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Optional.of(new GoDuration(0));
    }
    if (s.isEmpty()) {
      return Optional.empty();
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
      boolean digitsBefore = i > start;
      int fractionStart = i;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
          i++;
        }
      }
      boolean digitsAfter = i > fractionStart + 1;
      if (!digitsBefore && !digitsAfter) {
        return Optional.empty();
      }
      String number = s.substring(start, i);
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
        i++;
      }
      Long unit = UNITS.get(s.substring(unitStart, i));
      if (unit == null) {
        return Optional.empty();
      }
      BigDecimal value =
          new BigDecimal(
              number.startsWith(".") ? "0" + number : number.endsWith(".") ? number + "0" : number);
      total = total.add(value.multiply(BigDecimal.valueOf(unit)));
      if (total.toBigInteger().compareTo(MAX.add(BigInteger.ONE)) > 0) {
        return Optional.empty();
      }
    }
    BigInteger nanos = total.setScale(0, RoundingMode.DOWN).toBigInteger();
    if (negative) {
      nanos = nanos.negate();
    }
    if (nanos.compareTo(MAX) > 0 || nanos.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) < 0) {
      return Optional.empty();
    }
    return Optional.of(new GoDuration(nanos.longValue()));
  }

  boolean negative() {
    return nanos < 0;
  }

  /**
   * Go's {@code Duration.String()}: {@code 1h2m3.5s}, {@code -10m0s}, {@code 1.5ms}, {@code 0s}.
   */
  @Override
  public String toString() {
    if (nanos == 0) {
      return "0s";
    }
    // Long.MIN_VALUE has no positive long: work on the unsigned magnitude via BigInteger
    BigInteger u = BigInteger.valueOf(nanos).abs();
    String sign = nanos < 0 ? "-" : "";
    if (u.compareTo(BigInteger.valueOf(1_000_000_000L)) < 0) {
      long v = u.longValue();
      if (v < 1_000L) {
        return sign + v + "ns";
      }
      if (v < 1_000_000L) {
        return sign + fraction(v, 3) + "\u00b5s";
      }
      return sign + fraction(v, 6) + "ms";
    }
    BigInteger[] secondsAndNanos = u.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
    long seconds = secondsAndNanos[0].longValue();
    String frac = fractionDigits(secondsAndNanos[1].longValue(), 9);
    StringBuilder out = new StringBuilder(sign);
    long minutes = seconds / 60;
    long hours = minutes / 60;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes % 60).append('m');
    }
    return out.append(seconds % 60).append(frac).append('s').toString();
  }

  private static String fraction(long value, int precision) {
    long scale = (long) Math.pow(10, precision);
    return (value / scale) + fractionDigits(value % scale, precision);
  }

  /** {@code .5} for 500000000 at precision 9; empty when zero (Go omits the point then). */
  private static String fractionDigits(long remainder, int precision) {
    if (remainder == 0) {
      return "";
    }
    String digits = String.format("%0" + precision + "d", remainder).replaceAll("0+$", "");
    return "." + digits;
  }
}
