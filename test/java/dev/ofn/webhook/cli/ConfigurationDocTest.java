package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md shows the flags `webhook serve --help` shows today. */
class ConfigurationDocTest {
  @Test
  void theDocumentedHelpIsTheCurrentOne() throws Exception {
    Path root =
        Path.of(System.getProperty("crds.dir", "manifests/crds"))
            .toAbsolutePath()
            .getParent()
            .getParent();
    String doc = Files.readString(root.resolve("docs/configuration.md"));
    Matcher block =
        Pattern.compile(
                "<!-- serve-help -->\n```text\n(.*?)```\n<!-- /serve-help -->", Pattern.DOTALL)
            .matcher(doc);
    assertTrue(block.find(), "docs/configuration.md has no serve-help block");
    MainTest.Run help = MainTest.run(Map.of(), "serve", "--help");
    assertEquals(
        help.out().strip(),
        block.group(1).strip(),
        "docs/configuration.md is out of date: run `make docs`");
  }
}
