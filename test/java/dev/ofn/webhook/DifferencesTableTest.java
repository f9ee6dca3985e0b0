package dev.ofn.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/behaviour.md's differences table has as many rows as its introduction says. */
class DifferencesTableTest {
  @Test
  void theStatedRowCountIsTheTablesRowCount() throws Exception {
    String doc =
        Files.readString(
            Fixtures.dir().toAbsolutePath().getParent().getParent().resolve("docs/behaviour.md"));
    String section = doc.substring(doc.indexOf("## Differences from OpenFunction v1.2"));
    Matcher stated =
        Pattern.compile("differently from OpenFunction v1\\.2: (\\d+) rows").matcher(section);
    assertEquals(true, stated.find(), "the introduction states no row count");
    long rows =
        section
            .lines()
            .takeWhile(l -> !l.startsWith("## ") || l.contains("Differences"))
            .filter(l -> l.matches("\\| \\d+ \\|.*"))
            .count();
    assertEquals(Long.parseLong(stated.group(1)), rows);
  }
}
