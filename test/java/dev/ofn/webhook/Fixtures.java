package dev.ofn.webhook;

import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.node.ObjectNode;

/** The shared sample manifests (unchanged copies in test/fixtures, see SOURCES.md there). */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir() {
    return Path.of(System.getProperty("fixtures.dir", "test/fixtures"));
  }

  public static Path crds() {
    return Path.of(System.getProperty("crds.dir", "manifests/crds"));
  }

  /** A fixture object, e.g. {@code function-sample-serving-only.yaml}, as a fresh mutable tree. */
  public static ObjectNode load(String file) {
    try {
      return (ObjectNode) Json.YAML.readTree(Files.readString(dir().resolve(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture object placed in {@code namespace} (the samples carry none). */
  public static ObjectNode load(String file, String namespace) {
    ObjectNode object = load(file);
    Json.objectAt(object, "metadata").put("namespace", namespace);
    return object;
  }
}
