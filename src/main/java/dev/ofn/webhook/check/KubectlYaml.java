package dev.ofn.webhook.check;

import dev.ofn.webhook.json.Json;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * YAML read as {@code kubectl} reads it: the file split into documents at {@code ---} lines (as
 * apimachinery's YAMLReader does), each document parsed as YAML 1.1 (SnakeYAML) and turned into
 * JSON with the rules of go-yaml v2 and sigs.k8s.io/yaml: {@code yes}/{@code on} are true, {@code
 * ~}/{@code Null} are null, {@code 0x1F90}, {@code 010}, {@code +8080} and {@code 8_080} are
 * integers, aliases are expanded, {@code <<} merges maps (applied in place, in order, as go-yaml v2
 * does), non-string keys are printed as strings ({@code 8080}, {@code true}, {@code 1e+06}).
 * Integers beyond 64 bits and floats become JSON numbers as kubectl re-encodes them. Aliases are
 * expanded under go-yaml v2's own budget (no billion laughs) and each document is bounded.
 */
final class KubectlYaml {
  /** Characters in one document at most (SnakeYAML's reader bound). */
  static final int MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

  /** Nesting at most (SnakeYAML's composer and this walker recurse). */
  static final int MAX_DEPTH = 500;

  /** One document: its first line, its value, and the line of each field. */
  record Read(int line, JsonNode value, Map<String, Integer> fieldLines) {}

  /** A document kubectl cannot read: the line and why. */
  record Unreadable(int line, String message) {}

  private KubectlYaml() {}

  /** The documents of {@code text}, in order: {@link Read} or {@link Unreadable} each. */
  static List<Object> documents(String text) {
    List<Object> out = new ArrayList<>();
    int firstLine = 1;
    int line = 1;
    int pos = 0;
    StringBuilder doc = new StringBuilder();
    while (pos < text.length()) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl + 1;
      String current = text.substring(pos, end);
      if (current.startsWith("---")) {
        String rest = current.substring(3).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
          out.add(new Unreadable(line, "invalid Yaml document separator: " + rest));
          return out; // kubectl stops reading the file here
        }
        if (!doc.isEmpty()) {
          out.add(document(doc.toString(), firstLine));
        }
        doc.setLength(0);
        firstLine = line + 1;
      } else {
        doc.append(current);
      }
      pos = end;
      line++;
    }
    if (!doc.isEmpty()) {
      out.add(document(doc.toString(), firstLine));
    }
    return out;
  }

  /** One document's text (starting on {@code firstLine} of the file). */
  private static Object document(String text, int firstLine) {
    if (text.length() > MAX_DOCUMENT_CHARS) {
      return new Unreadable(
          firstLine,
          "the document is larger than "
              + MAX_DOCUMENT_CHARS / (1024 * 1024)
              + " MiB: not read (the API server takes 3 MiB at most)");
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // go-yaml v2: the last one wins
    options.setMaxAliasesForCollections(Integer.MAX_VALUE); // the budget below bounds expansion
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(MAX_DOCUMENT_CHARS);
    options.setAllowRecursiveKeys(false);
    try {
      Composer composer =
          new Composer(
              new ParserImpl(new StreamReader(new StringReader(text)), options),
              new GoResolver(),
              options);
      // go-yaml v2 decodes the first document of the text it is given
      Node root = composer.checkNode() ? composer.getNode() : null;
      if (root == null) {
        return new Read(firstLine, null, Map.of());
      }
      Walker walker = new Walker(firstLine - 1);
      JsonNode value = walker.value(root, "", 0);
      return new Read(firstLine + root.getStartMark().getLine(), value, walker.lines);
    } catch (MarkedYAMLException e) {
      return unreadable(e, firstLine);
    } catch (Failure e) {
      return new Unreadable(e.line, e.getMessage());
    } catch (YAMLException e) {
      return new Unreadable(firstLine, firstLine(e.getMessage()));
    } catch (StackOverflowError e) {
      return new Unreadable(firstLine, "nested too deeply");
    }
  }

  /**
   * A syntax error at the line of what was being parsed ({@code while parsing a flow sequence}),
   * with the problem and its own line when that is another.
   */
  private static Unreadable unreadable(MarkedYAMLException e, int firstLine) {
    Mark context = e.getContextMark();
    Mark problem = e.getProblemMark();
    String what = firstLine(e.getProblem() != null ? e.getProblem() : e.getMessage());
    if (e.getContext() == null || context == null) {
      return new Unreadable(firstLine + (problem == null ? 0 : problem.getLine()), what);
    }
    String message = firstLine(e.getContext()) + ": " + what;
    if (problem != null && problem.getLine() != context.getLine()) {
      message += " (line " + (firstLine + problem.getLine()) + ")";
    }
    return new Unreadable(firstLine + context.getLine(), message);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "cannot parse";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  /** A document kubectl would refuse to convert, at a line of the file. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;

    Failure(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  /** Plain scalars keep a tag of their own: the walker resolves them as go-yaml v2 does. */
  private static final Tag PLAIN = new Tag("tag:ofn-webhook,plain");

  private static final class GoResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      // none: resolve() below decides
    }

    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
      if (kind == NodeId.scalar && implicit) {
        return "<<".equals(value) ? Tag.MERGE : PLAIN;
      }
      return super.resolve(kind, value, implicit);
    }
  }

  /** Node graph → JSON tree, with the line of every field. */
  private static final class Walker {
    private final int offset;
    final Map<String, Integer> lines = new HashMap<>();
    private final Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Node> open = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private long decodeCount;
    private long aliasCount;
    private int aliasDepth;

    Walker(int offset) {
      this.offset = offset;
    }

    private int line(Node node) {
      return offset + node.getStartMark().getLine() + 1;
    }

    JsonNode value(Node node, String path, int depth) {
      if (depth > MAX_DEPTH) {
        throw new Failure(line(node), "nested too deeply (more than " + MAX_DEPTH + " levels)");
      }
      if (!open.add(node)) {
        throw new Failure(line(node), "an anchor's value contains itself");
      }
      boolean alias = !seen.add(node);
      if (alias) {
        aliasDepth++;
      }
      try {
        count(node);
        return switch (node.getNodeId()) {
          case scalar -> scalar((ScalarNode) node);
          case sequence -> sequence((SequenceNode) node, path, depth);
          case mapping -> mapping((MappingNode) node, path, depth);
          default -> throw new Failure(line(node), "unexpected node");
        };
      } finally {
        open.remove(node);
        if (alias) {
          aliasDepth--;
        }
      }
    }

    /** go-yaml v2's budget: aliases may not expand into most of a large document. */
    private void count(Node node) {
      decodeCount++;
      if (aliasDepth > 0) {
        aliasCount++;
      }
      if (aliasCount > 100
          && decodeCount > 1000
          && (double) aliasCount / decodeCount > allowedAliasRatio(decodeCount)) {
        throw new Failure(line(node), "the document contains excessive aliasing");
      }
    }

    private static double allowedAliasRatio(long decodeCount) {
      if (decodeCount <= 400_000) {
        return 0.99;
      }
      if (decodeCount >= 4_000_000) {
        return 0.10;
      }
      return 0.99 - 0.89 * ((double) (decodeCount - 400_000) / 3_600_000);
    }

    private ArrayNode sequence(SequenceNode node, String path, int depth) {
      ArrayNode array = Json.array();
      int i = 0;
      for (Node item : node.getValue()) {
        String child = path + "[" + i++ + "]";
        lines.putIfAbsent(child, line(item));
        array.add(value(item, child, depth + 1));
      }
      return array;
    }

    private ObjectNode mapping(MappingNode node, String path, int depth) {
      ObjectNode object = Json.object();
      into(object, node, path, depth);
      return object;
    }

    /** go-yaml v2: pairs in order; a merge writes into the same map where it stands. */
    private void into(ObjectNode object, MappingNode node, String path, int depth) {
      for (NodeTuple pair : node.getValue()) {
        Node key = pair.getKeyNode();
        if (key.getTag().equals(Tag.MERGE) && key instanceof ScalarNode) {
          merge(object, pair.getValueNode(), path, depth);
          continue;
        }
        String name = key(key);
        String child = path.isEmpty() ? name : path + "." + name;
        lines.putIfAbsent(child, line(key));
        object.set(name, value(pair.getValueNode(), child, depth + 1));
      }
    }

    private void merge(ObjectNode object, Node value, String path, int depth) {
      if (value instanceof MappingNode map) {
        mergeOne(object, map, path, depth);
      } else if (value instanceof SequenceNode list) {
        // earlier maps take precedence: applied last
        for (int i = list.getValue().size() - 1; i >= 0; i--) {
          if (!(list.getValue().get(i) instanceof MappingNode map)) {
            throw new Failure(
                line(value), "map merge requires map or sequence of maps as the value");
          }
          mergeOne(object, map, path, depth);
        }
      } else {
        throw new Failure(line(value), "map merge requires map or sequence of maps as the value");
      }
    }

    private void mergeOne(ObjectNode object, MappingNode map, String path, int depth) {
      if (!open.add(map)) {
        throw new Failure(line(map), "an anchor's value contains itself");
      }
      boolean alias = !seen.add(map);
      if (alias) {
        aliasDepth++;
      }
      try {
        count(map);
        into(object, map, path, depth + 1);
      } finally {
        open.remove(map);
        if (alias) {
          aliasDepth--;
        }
      }
    }

    /** sigs.k8s.io/yaml: string keys as they are; numbers and bools printed; others refused. */
    private String key(Node key) {
      if (!(key instanceof ScalarNode scalar)) {
        throw new Failure(line(key), "invalid map key: a key must be a string, number or bool");
      }
      Object resolved = resolve(scalar);
      if (resolved == null) {
        throw new Failure(line(key), "unsupported map key: null");
      }
      // a float key is printed as Go prints a float32 ('g', shortest): 1e6 is "1e+06"
      return resolved instanceof Double d ? GoFloats.formatG32(d) : resolved.toString();
    }

    private JsonNode scalar(ScalarNode node) {
      Object value = resolve(node);
      if (value == null) {
        return Json.NODES.nullNode();
      }
      if (value instanceof Boolean b) {
        return Json.NODES.booleanNode(b);
      }
      if (value instanceof Long l) {
        return l == l.intValue() ? Json.NODES.numberNode(l.intValue()) : Json.NODES.numberNode(l);
      }
      if (value instanceof Double d) {
        return GoFloats.asJson(d, line(node), node.getValue());
      }
      return Json.NODES.stringNode((String) value);
    }

    /** go-yaml v2's resolve(): null, Boolean, Long, Double (beyond int64 too) or String. */
    private Object resolve(ScalarNode node) {
      String in = node.getValue();
      Tag tag = node.getTag();
      if (tag.equals(PLAIN)) {
        return GoResolve.plain(in);
      }
      if (tag.equals(Tag.STR)) {
        return in;
      }
      String name = tag.getValue();
      Object resolved = GoResolve.plain(in);
      String kind = GoResolve.kind(resolved);
      if (tag.equals(Tag.INT) || tag.equals(Tag.BOOL) || tag.equals(Tag.NULL)) {
        if (!name.equals(kind)) {
          throw new Failure(
              line(node),
              "cannot decode " + shortTag(kind) + " `" + in + "` as a " + shortTag(name));
        }
        return resolved;
      }
      if (tag.equals(Tag.FLOAT)) {
        if (resolved instanceof Long l) {
          return l.doubleValue();
        }
        if (!name.equals(kind)) {
          throw new Failure(
              line(node),
              "cannot decode " + shortTag(kind) + " `" + in + "` as a " + shortTag(name));
        }
        return resolved;
      }
      if (tag.equals(Tag.BINARY)) {
        try {
          return new String(
              java.util.Base64.getMimeDecoder().decode(in),
              java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new Failure(line(node), "!!binary value contains invalid base64 data");
        }
      }
      return in; // !!timestamp, custom tags: the text
    }

    private static String shortTag(String tag) {
      return tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring(18) : tag;
    }
  }

  /** go-yaml v2's resolve() of a plain scalar. */
  static final class GoResolve {
    private static final Pattern YAML_STYLE_FLOAT =
        Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern DOT_FLOAT =
        Pattern.compile("\\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?");

    private GoResolve() {}

    static String kind(Object resolved) {
      if (resolved == null) {
        return Tag.NULL.getValue();
      }
      if (resolved instanceof Boolean) {
        return Tag.BOOL.getValue();
      }
      if (resolved instanceof Long) {
        return Tag.INT.getValue();
      }
      if (resolved instanceof Double) {
        return Tag.FLOAT.getValue();
      }
      return Tag.STR.getValue();
    }

    static Object plain(String in) {
      switch (in) {
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
          return Boolean.TRUE;
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
          return Boolean.FALSE;
        case "", "~", "null", "Null", "NULL":
          return null;
        case ".nan", ".NaN", ".NAN":
          return Double.NaN;
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
          return Double.POSITIVE_INFINITY;
        case "-.inf", "-.Inf", "-.INF":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
      char first = in.charAt(0);
      if (first == '.') {
        if (DOT_FLOAT.matcher(in).matches()) {
          return Double.parseDouble(in.replace("_", ""));
        }
        return in;
      }
      if (first != '+' && first != '-' && (first < '0' || first > '9')) {
        return in;
      }
      String plain = in.replace("_", "");
      BigInteger integer = parseGoInt(plain);
      if (integer != null && integer.bitLength() < 64) {
        return integer.longValue();
      }
      if (integer != null && first != '+' && first != '-' && integer.bitLength() == 64) {
        // a uint64: kubectl's unstructured decoding makes it a float64
        return integer.doubleValue();
      }
      if (YAML_STYLE_FLOAT.matcher(plain).matches()) {
        return Double.parseDouble(plain);
      }
      return in;
    }

    /**
     * Go's {@code strconv.ParseInt(s, 0, 64)} without its range check (the caller's): sign, then
     * {@code 0x}, {@code 0o}, {@code 0b} or a leading {@code 0} (octal); null when it is not an
     * integer.
     */
    private static BigInteger parseGoInt(String s) {
      String body = s;
      boolean negative = false;
      if (body.startsWith("+") || body.startsWith("-")) {
        negative = body.startsWith("-");
        body = body.substring(1);
      }
      int radix = 10;
      if (body.length() >= 2 && body.charAt(0) == '0') {
        char p = Character.toLowerCase(body.charAt(1));
        if (p == 'x' || p == 'o' || p == 'b') {
          radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
          body = body.substring(2);
        } else {
          radix = 8;
          body = body.substring(1);
        }
      }
      BigInteger value = digits(body, radix);
      return value == null || !negative ? value : value.negate();
    }

    private static BigInteger digits(String body, int radix) {
      if (body.isEmpty()) {
        return null;
      }
      for (int i = 0; i < body.length(); i++) {
        if (Character.digit(body.charAt(i), radix) < 0) {
          return null;
        }
      }
      return new BigInteger(body, radix);
    }
  }

  /** Floats as kubectl sends them: Go's encoding/json, read back by the API server. */
  static final class GoFloats {
    private GoFloats() {}

    /** An integral value below 1e21 is printed as an integer by Go; NaN and infinities fail. */
    static JsonNode asJson(double d, int line, String text) {
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new Failure(
            line,
            "`"
                + text
                + "` is not a JSON number (json: unsupported value: "
                + (Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf")
                + ")");
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e21) {
        BigInteger integer = new BigDecimal(Double.toString(d)).toBigInteger();
        if (integer.bitLength() < 32) {
          return Json.NODES.numberNode(integer.intValue());
        }
        if (integer.bitLength() < 64) {
          return Json.NODES.numberNode(integer.longValue());
        }
        return Json.NODES.numberNode(integer);
      }
      return Json.NODES.numberNode(d);
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 32)}, as sigs.k8s.io/yaml prints float keys. */
    static String formatG32(double d) {
      if (Double.isNaN(d)) {
        return ".nan";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? ".inf" : "-.inf";
      }
      float f = (float) d;
      if (f == 0) {
        return (1 / f) < 0 ? "-0" : "0";
      }
      BigDecimal shortest = new BigDecimal(Float.toString(Math.abs(f))).stripTrailingZeros();
      String digits = shortest.unscaledValue().toString();
      int exponent = digits.length() - 1 - shortest.scale(); // of the first digit
      String sign = f < 0 ? "-" : "";
      if (exponent < -4 || exponent >= 6) {
        String mantissa =
            digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign
            + mantissa
            + "e"
            + (exponent < 0 ? "-" : "+")
            + (Math.abs(exponent) < 10 ? "0" : "")
            + Math.abs(exponent);
      }
      return sign + shortest.toPlainString();
    }
  }
}
