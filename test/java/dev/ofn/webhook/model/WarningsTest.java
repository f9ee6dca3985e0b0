package dev.ofn.webhook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One line, at most 120 characters, cut legibly. */
class WarningsTest {
  @Test
  void aWarningIsOneLine() {
    assertEquals("a b c", Warnings.clip("a \n b\r\n\n  c"));
  }

  @Test
  void aLongWarningIsCutTo120CharactersEndingInDots() {
    String text = "x".repeat(200);
    assertEquals("x".repeat(117) + "...", Warnings.clip(text));
    assertEquals("x".repeat(120), Warnings.clip("x".repeat(120)));
  }

  @Test
  void aValueQuotedInAMessageIsCutToItsOwnLength() {
    assertEquals("abcdefg...", Warnings.clip("abcdefghijklmnop", 10));
    assertEquals("short", Warnings.clip("short", 10));
  }
}
