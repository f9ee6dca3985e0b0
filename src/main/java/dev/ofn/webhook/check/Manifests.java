package dev.ofn.webhook.check;

import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/**
 * Reads manifest files (YAML multi-document or JSON; a file, a directory or stdin) as kubectl reads
 * them into object trees with the line each object and each of its fields starts on. Nothing stops
 * the reading: a file that does not parse or a document that is not an object becomes a {@link
 * Problem} and the other files (and the documents before the broken one) are still read. Folders
 * that hold a kustomization or a Helm chart are not read as manifests: they must be rendered first.
 */
final class Manifests {
  /**
   * One object of the input: where it came from and the line of each field ({@code spec.domain},
   * {@code spec.rules[0].matches[0]}), for messages.
   */
  record Document(String file, int line, JsonNode object, Map<String, Integer> fieldLines) {
    Document(String file, JsonNode object) {
      this(file, 0, object, Map.of());
    }

    /** The line of {@code field} or of its closest enclosing field; the document's start else. */
    int lineOf(String field) {
      String path = field;
      while (path != null && !path.isEmpty()) {
        Integer line = fieldLines.get(path);
        if (line != null) {
          return line;
        }
        path = parent(path);
      }
      return line;
    }

    private static String parent(String path) {
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      return cut <= 0 ? null : path.substring(0, cut);
    }
  }

  /** What is wrong with (or was skipped in) the input: {@code error} or {@code note}. */
  record Problem(String file, int line, boolean error, String message) {
    /** {@code file: line N: message} (no line when unknown). */
    String render() {
      return file + ": " + (line > 0 ? "line " + line + ": " : "") + message;
    }
  }

  /** In input order: documents and problems (a problem where the reading met it). */
  record Input(List<Object> items) {
    List<Document> documents() {
      return items.stream().filter(Document.class::isInstance).map(Document.class::cast).toList();
    }

    List<Problem> problems() {
      return items.stream().filter(Problem.class::isInstance).map(Problem.class::cast).toList();
    }
  }

  /** A path given on the command line that does not exist: a usage error. */
  static final class ManifestException extends Exception {
    ManifestException(String message) {
      super(message);
    }
  }

  private Manifests() {}

  /**
   * Every file read, problems included; empty (after one line on {@code err}) when a path given
   * cannot be read at all.
   */
  static Optional<Input> read(List<String> paths, java.io.PrintWriter err) {
    try {
      return Optional.of(read(paths, System.in));
    } catch (ManifestException e) {
      err.println(e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Every source read; only a path that cannot be read at all (given on the command line) throws.
   */
  static Input read(List<String> sources, InputStream stdin) throws ManifestException {
    List<Object> items = new ArrayList<>();
    for (String source : sources) {
      if ("-".equals(source)) {
        items.addAll(parse("<stdin>", readAll(stdin, "<stdin>")));
        continue;
      }
      Path path = Path.of(source);
      if (Files.isDirectory(path)) {
        readDir(path, items);
      } else {
        items.addAll(parse(source, readFile(path)));
      }
    }
    return new Input(items);
  }

  private static void readDir(Path dir, List<Object> items) throws ManifestException {
    Optional<String> rendered = needsRendering(dir);
    if (rendered.isPresent()) {
      items.add(new Problem(dir.toString(), 0, false, rendered.get()));
      return;
    }
    List<Path> entries;
    try (Stream<Path> listed = Files.list(dir)) {
      entries = listed.sorted().toList();
    } catch (IOException e) {
      throw new ManifestException(dir + ": cannot read: " + reason(e));
    }
    for (Path entry : entries) {
      if (Files.isDirectory(entry)) {
        readDir(entry, items);
      } else if (Files.isRegularFile(entry) && entry.toString().matches(".*\\.(ya?ml|json)$")) {
        try {
          items.addAll(parse(entry.toString(), readFile(entry)));
        } catch (ManifestException e) {
          items.add(new Problem(entry.toString(), 0, true, e.getMessage()));
        }
      }
    }
  }

  /**
   * Why the folder is not a folder of manifests: a kustomization (its files are bases, patches and
   * components, not objects) or a Helm chart (templates are not YAML until rendered).
   */
  private static Optional<String> needsRendering(Path dir) {
    for (String name : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return Optional.of(
            "a kustomization, not checked: render it first (kubectl kustomize "
                + dir
                + " | webhook check -f -)");
      }
    }
    if (Files.isRegularFile(dir.resolve("Chart.yaml"))
        && Files.isDirectory(dir.resolve("templates"))) {
      return Optional.of(
          "a Helm chart, not checked: render it first (helm template "
              + dir
              + " | webhook check -f -)");
    }
    return Optional.empty();
  }

  private static byte[] readFile(Path file) throws ManifestException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read: " + reason(e));
    }
  }

  private static byte[] readAll(InputStream in, String name) throws ManifestException {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ManifestException(name + ": cannot read: " + reason(e));
    }
  }

  /**
   * The documents of one file's bytes: kubectl reads manifests as UTF-8, so a file that is not
   * (UTF-16, Latin-1) is one error naming it, and the other files are still read.
   */
  static List<Object> parse(String file, byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(in)
              .toString();
      return parse(file, text);
    } catch (CharacterCodingException e) {
      int at = in.position(); // where the first byte that is not UTF-8 starts
      int line = 1;
      for (int i = 0; i < at; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      String where = utf16(bytes) ? "a UTF-16 byte-order mark" : "byte " + at;
      return List.of(
          new Problem(
              file,
              line,
              true,
              "not UTF-8 text (" + where + "): save it as UTF-8, the encoding kubectl reads"));
    }
  }

  /** A UTF-16 byte-order mark, as Windows editors write it. */
  private static boolean utf16(byte[] bytes) {
    return bytes.length >= 2
        && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
            || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF));
  }

  /**
   * The documents of one file, in order, and a problem for each one that is not an object or cannot
   * be read. Read as kubectl reads it: JSON when the text starts with <code>{</code>, else YAML 1.1
   * ({@link KubectlYaml}).
   */
  static List<Object> parse(String file, String text) {
    if (text.stripLeading().startsWith("{")) {
      return parseJson(file, text);
    }
    List<Object> items = new ArrayList<>();
    for (Object read : KubectlYaml.documents(text)) {
      if (read instanceof KubectlYaml.Unreadable u) {
        items.add(new Problem(file, u.line(), true, u.message()));
      } else if (read instanceof KubectlYaml.Read r) {
        add(file, r.value(), new Located(r.line(), r.fieldLines()), items);
      }
    }
    return items;
  }

  /** A stream of JSON objects (kubectl's JSON decoder); stops at a syntax error. */
  private static List<Object> parseJson(String file, String text) {
    List<Located> located = locate(text);
    List<Object> items = new ArrayList<>();
    int index = 0;
    try (JsonParser parser = Json.MAPPER.createParser(text);
        MappingIterator<JsonNode> values = Json.MAPPER.readValues(parser, JsonNode.class)) {
      while (values.hasNextValue()) {
        JsonNode value = values.nextValue();
        Located where = index < located.size() ? located.get(index) : new Located(0, Map.of());
        index++;
        add(file, value, where, items);
      }
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      items.add(new Problem(file, line, true, firstLine(e.getOriginalMessage())));
    }
    return items;
  }

  /** One top-level value: an object, each item of a List, or a problem. */
  private static void add(String file, JsonNode value, Located where, List<Object> items) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return; // empty document between separators
    }
    if (value.isObject()
        && "List".equals(value.path("kind").asString(""))
        && value.path("items").isArray()) {
      for (int i = 0; i < value.path("items").size(); i++) {
        JsonNode item = value.path("items").get(i);
        String prefix = "items[" + i + "]";
        int line = where.fieldLines().getOrDefault(prefix, where.line());
        if (item.isObject()) {
          items.add(new Document(file, line, item, within(where.fieldLines(), prefix)));
        } else {
          items.add(new Problem(file, line, true, prefix + " is not an object"));
        }
      }
    } else if (value.isObject()) {
      items.add(new Document(file, where.line(), value, where.fieldLines()));
    } else {
      items.add(new Problem(file, where.line(), true, "the document is not an object"));
    }
  }

  /** Where a top-level document starts, and each of its fields. */
  private record Located(int line, Map<String, Integer> fieldLines) {}

  /**
   * The token locations of every top-level value (a second, cheap pass over the text: the tree
   * mapper does not keep locations); stops quietly where the text stops parsing.
   */
  private static List<Located> locate(String text) {
    List<Located> located = new ArrayList<>();
    try (JsonParser parser = Json.MAPPER.createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        Map<String, Integer> lines = new HashMap<>();
        int line = parser.currentTokenLocation().getLineNr();
        walk(parser, token, "", lines);
        located.add(new Located(line, lines));
      }
    } catch (JacksonException e) {
      // the tree pass reports it
    }
    return located;
  }

  private static void walk(
      JsonParser parser, JsonToken token, String path, Map<String, Integer> out) {
    if (token == JsonToken.START_OBJECT) {
      while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
        String child = path.isEmpty() ? parser.currentName() : path + "." + parser.currentName();
        out.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
        walk(parser, parser.nextToken(), child, out);
      }
    } else if (token == JsonToken.START_ARRAY) {
      int i = 0;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
        String child = path + "[" + i++ + "]";
        out.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
        walk(parser, token, child, out);
      }
    }
  }

  private static Map<String, Integer> within(Map<String, Integer> lines, String prefix) {
    Map<String, Integer> inner = new HashMap<>();
    lines.forEach(
        (path, line) -> {
          if (path.startsWith(prefix + ".")) {
            inner.put(path.substring(prefix.length() + 1), line);
          }
        });
    return inner;
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
