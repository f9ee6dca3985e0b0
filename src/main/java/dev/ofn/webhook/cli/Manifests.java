package dev.ofn.webhook.cli;

import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/**
 * Reads manifest files (YAML multi-document or JSON; a file, a directory or stdin) into object
 * trees.
 */
final class Manifests {
  /** One object of the input, with where it came from (for messages). */
  record Document(String file, JsonNode object) {}

  /** A file that cannot be read or parsed: {@code file: line N: message}. */
  static final class ManifestException extends Exception {
    ManifestException(String message) {
      super(message);
    }
  }

  private Manifests() {}

  static List<Document> read(List<String> sources, InputStream stdin) throws ManifestException {
    List<Document> documents = new ArrayList<>();
    for (String source : sources) {
      if ("-".equals(source)) {
        documents.addAll(parse("<stdin>", readAll(stdin, "<stdin>")));
        continue;
      }
      Path path = Path.of(source);
      if (Files.isDirectory(path)) {
        for (Path file : filesIn(path)) {
          documents.addAll(parse(file.toString(), readFile(file)));
        }
      } else {
        documents.addAll(parse(source, readFile(path)));
      }
    }
    return documents;
  }

  private static List<Path> filesIn(Path dir) throws ManifestException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ManifestException(dir + ": cannot read: " + e.getMessage());
    }
  }

  private static String readFile(Path file) throws ManifestException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read: " + reason(e));
    }
  }

  private static String readAll(InputStream in, String name) throws ManifestException {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ManifestException(name + ": cannot read: " + reason(e));
    }
  }

  static List<Document> parse(String file, String text) throws ManifestException {
    List<Document> documents = new ArrayList<>();
    try (JsonParser parser = Json.YAML.createParser(text);
        MappingIterator<JsonNode> values = Json.YAML.readValues(parser, JsonNode.class)) {
      while (values.hasNextValue()) {
        JsonNode value = values.nextValue();
        if (value == null || value.isNull() || value.isMissingNode()) {
          continue; // empty document between separators
        }
        if (value.isObject()
            && "List".equals(value.path("kind").asString(""))
            && value.path("items").isArray()) {
          value.path("items").forEach(item -> documents.add(new Document(file, item)));
        } else if (value.isObject()) {
          documents.add(new Document(file, value));
        } else {
          throw new ManifestException(file + ": a document is not an object");
        }
      }
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new ManifestException(
          file + ": line " + line + ": " + firstLine(e.getOriginalMessage()));
    }
    return documents;
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "no such file"
        : String.valueOf(e.getMessage());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "cannot parse";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
