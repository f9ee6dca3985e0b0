package dev.ofn.webhook.manifests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a kustomization with {@code kubectl kustomize} (offline); tests skip when kubectl is
 * absent.
 */
final class Kustomize {
  private Kustomize() {}

  /** {@code manifests/} of this checkout (surefire runs in the project directory). */
  static Path manifests() {
    return Path.of(System.getProperty("crds.dir", "manifests/crds")).toAbsolutePath().getParent();
  }

  static boolean kubectlAvailable() {
    try {
      Process p =
          new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The rendered text; assumption failure (skip) when there is no kubectl, assertion failure when
   * kustomize fails.
   */
  static String renderText(Path dir) {
    assumeTrue(kubectlAvailable(), "kubectl is not on PATH");
    try {
      Process p =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectError(ProcessBuilder.Redirect.PIPE)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(
            "kubectl kustomize " + dir + " failed: " + new String(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("kubectl kustomize " + dir + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static List<ObjectNode> render(Path dir) {
    return documents(renderText(dir));
  }

  static List<ObjectNode> documents(String yaml) {
    List<ObjectNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = Json.YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node instanceof ObjectNode object) {
          docs.add(object);
        }
      }
    }
    return docs;
  }

  static ObjectNode find(List<ObjectNode> docs, String kind, String name) {
    return docs.stream()
        .filter(
            d ->
                kind.equals(d.path("kind").asString())
                    && name.equals(d.path("metadata").path("name").asString()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
  }
}
