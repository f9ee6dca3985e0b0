package dev.ofn.webhook.check;

import dev.ofn.webhook.BuildInfo;
import dev.ofn.webhook.check.CheckReport.Finding;
import dev.ofn.webhook.check.CheckReport.Severity;
import dev.ofn.webhook.check.CheckReport.Subject;
import dev.ofn.webhook.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The output formats of {@code webhook check -o}: text, json, junit, sarif, github. */
public enum CheckFormats {
  text {
    @Override
    void write(CheckReport report, boolean strict, PrintWriter out) {
      report.findings.forEach(f -> out.println(f.text()));
    }
  },
  json {
    @Override
    void write(CheckReport report, boolean strict, PrintWriter out) {
      ObjectNode root = Json.object();
      root.put("objects", report.subjects.size());
      root.put("errors", report.count(Severity.ERROR));
      root.put("warnings", report.count(Severity.WARNING));
      root.put("notes", report.count(Severity.NOTE));
      ArrayNode findings = root.putArray("findings");
      for (Finding f : report.findings) {
        ObjectNode node = findings.addObject();
        node.put("severity", f.severity().label());
        node.put("rule", f.rule());
        if (f.file() != null && !f.file().isEmpty()) {
          node.put("file", f.file());
        }
        if (f.line() > 0) {
          node.put("line", f.line());
        }
        if (f.subject() != null) {
          node.put("apiVersion", f.subject().apiVersion());
          node.put("kind", f.subject().kind());
          node.put("namespace", f.subject().namespace());
          node.put("name", f.subject().name());
        }
        putIf(node, "field", f.field());
        node.put("message", f.message());
        putIf(node, "owner", f.owner());
        putIf(node, "ownerFile", f.ownerFile());
        if (f.ownerLine() > 0) {
          node.put("ownerLine", f.ownerLine());
        }
      }
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
  },
  github {
    @Override
    void write(CheckReport report, boolean strict, PrintWriter out) {
      for (Finding f : report.findings) {
        String command =
            switch (f.severity()) {
              case ERROR -> "error";
              case WARNING -> strict ? "error" : "warning";
              case NOTE -> "notice";
            };
        List<String> props = new ArrayList<>();
        if (f.file() != null && !f.file().isEmpty() && !f.file().startsWith("<")) {
          props.add("file=" + property(f.file()));
          if (f.line() > 0) {
            props.add("line=" + f.line());
          }
        }
        props.add(
            "title="
                + property(
                    f.subject() == null
                        ? "webhook check"
                        : "webhook check: " + f.subject().describe()));
        out.println("::" + command + " " + String.join(",", props) + "::" + data(message(f)));
      }
      out.println(summary(report));
    }
  },
  junit {
    @Override
    void write(CheckReport report, boolean strict, PrintWriter out) {
      Map<String, Map<String, List<Finding>>> suites = new LinkedHashMap<>();
      Map<Object, Subject> subjectOf = new LinkedHashMap<>();
      report.files.forEach(file -> suites.put(suiteName(file), new LinkedHashMap<>()));
      for (Subject subject : report.subjects) {
        suites
            .computeIfAbsent(suiteName(subject.file()), k -> new LinkedHashMap<>())
            .computeIfAbsent(caseKey(subject), k -> new ArrayList<>());
        subjectOf.put(caseKey(subject), subject);
      }
      for (Finding f : report.findings) {
        String key = f.subject() == null ? "file " + f.file() : caseKey(f.subject());
        suites
            .computeIfAbsent(suiteName(f.file()), k -> new LinkedHashMap<>())
            .computeIfAbsent(key, k -> new ArrayList<>())
            .add(f);
      }
      int tests = 0;
      int failures = 0;
      int skipped = 0;
      StringBuilder body = new StringBuilder();
      suites.values().removeIf(Map::isEmpty);
      for (Map.Entry<String, Map<String, List<Finding>>> suite : suites.entrySet()) {
        int suiteFailures = 0;
        int suiteSkipped = 0;
        StringBuilder cases = new StringBuilder();
        for (Map.Entry<String, List<Finding>> test : suite.getValue().entrySet()) {
          Subject subject = subjectOf.get(test.getKey());
          String name =
              subject != null ? subject.describe() : test.getKey().substring("file ".length());
          List<Finding> failing = new ArrayList<>();
          List<Finding> other = new ArrayList<>();
          for (Finding f : test.getValue()) {
            boolean fails =
                f.severity() == Severity.ERROR || strict && f.severity() == Severity.WARNING;
            (fails ? failing : other).add(f);
          }
          boolean skip =
              failing.isEmpty()
                  && !other.isEmpty()
                  && other.stream().allMatch(f -> f.severity() == Severity.NOTE);
          cases
              .append("    <testcase classname=\"")
              .append(xml(suite.getKey()))
              .append("\" name=\"")
              .append(xml(name))
              .append('"');
          if (subject != null && subject.line() > 0) {
            cases.append(" file=\"").append(xml(subject.file())).append("\" line=\"");
            cases.append(subject.line()).append('"');
          }
          cases.append(">\n");
          if (!failing.isEmpty()) {
            suiteFailures++;
            cases
                .append("      <failure type=\"")
                .append(failing.get(0).rule())
                .append("\" message=\"")
                .append(xml(message(failing.get(0))))
                .append("\">");
            failing.forEach(f -> cases.append(xml(f.text())).append('\n'));
            cases.append("</failure>\n");
          } else if (skip) {
            suiteSkipped++;
            cases
                .append("      <skipped message=\"")
                .append(xml(message(other.get(0))))
                .append("\"/>\n");
          }
          if (!other.isEmpty() && !skip) {
            cases.append("      <system-out>");
            other.forEach(f -> cases.append(xml(f.text())).append('\n'));
            cases.append("</system-out>\n");
          }
          cases.append("    </testcase>\n");
        }
        int suiteTests = suite.getValue().size();
        body.append("  <testsuite name=\"")
            .append(xml(suite.getKey()))
            .append("\" tests=\"")
            .append(suiteTests)
            .append("\" failures=\"")
            .append(suiteFailures)
            .append("\" errors=\"0\" skipped=\"")
            .append(suiteSkipped)
            .append("\">\n")
            .append(cases)
            .append("  </testsuite>\n");
        tests += suiteTests;
        failures += suiteFailures;
        skipped += suiteSkipped;
      }
      out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
      out.println(
          "<testsuites name=\"webhook check\" tests=\""
              + tests
              + "\" failures=\""
              + failures
              + "\" errors=\"0\" skipped=\""
              + skipped
              + "\">");
      out.print(body);
      out.println("</testsuites>");
    }
  },
  sarif {
    @Override
    void write(CheckReport report, boolean strict, PrintWriter out) {
      ObjectNode root = Json.object();
      root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
      root.put("version", "2.1.0");
      ObjectNode run = root.putArray("runs").addObject();
      ObjectNode driver = run.putObject("tool").putObject("driver");
      driver.put("name", "ofn-webhook");
      driver.put("version", BuildInfo.version());
      ArrayNode rules = driver.putArray("rules");
      RULES.forEach(
          (id, text) -> {
            ObjectNode rule = rules.addObject();
            rule.put("id", id);
            rule.putObject("shortDescription").put("text", text);
          });
      ArrayNode results = run.putArray("results");
      for (Finding f : report.findings) {
        ObjectNode result = results.addObject();
        result.put("ruleId", f.rule());
        result.put(
            "level",
            switch (f.severity()) {
              case ERROR -> "error";
              case WARNING -> strict ? "error" : "warning";
              case NOTE -> "note";
            });
        result.putObject("message").put("text", message(f));
        ArrayNode locations = result.putArray("locations");
        if (f.file() != null && !f.file().isEmpty() && !f.file().startsWith("<")) {
          ObjectNode physical = locations.addObject().putObject("physicalLocation");
          physical.putObject("artifactLocation").put("uri", uri(f.file()));
          if (f.line() > 0) {
            physical.putObject("region").put("startLine", f.line());
          }
        }
        if (f.subject() != null) {
          ObjectNode logical =
              (locations.isEmpty() ? locations.addObject() : (ObjectNode) locations.get(0))
                  .putArray("logicalLocations")
                  .addObject();
          logical.put("fullyQualifiedName", f.subject().describe());
          logical.put("kind", "object");
        }
        if (f.ownerFile() != null && !f.ownerFile().startsWith("<")) {
          ObjectNode related = result.putArray("relatedLocations").addObject();
          related.put("id", 1);
          ObjectNode physical = related.putObject("physicalLocation");
          physical.putObject("artifactLocation").put("uri", uri(f.ownerFile()));
          if (f.ownerLine() > 0) {
            physical.putObject("region").put("startLine", f.ownerLine());
          }
          related.putObject("message").put("text", f.owner());
        }
        ObjectNode props = result.putObject("properties");
        if (f.subject() != null) {
          props.put("kind", f.subject().kind());
          props.put("namespace", f.subject().namespace());
          props.put("name", f.subject().name());
        }
        putIf(props, "field", f.field());
        putIf(props, "owner", f.owner());
      }
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
  };

  /** Writes the report; {@code strict}: warnings count as failures where the format says so. */
  abstract void write(CheckReport report, boolean strict, PrintWriter out);

  static final Map<String, String> RULES = new LinkedHashMap<>();

  static {
    RULES.put(CheckReport.INVALID, "The webhooks would refuse the object: a field is invalid");
    RULES.put(
        CheckReport.ROUTE_CONFLICT,
        "The webhooks would refuse the object: its route is already routed by another object");
    RULES.put(
        CheckReport.SHADOWED,
        "A route key is claimed twice in the cluster: the younger object is shadowed");
    RULES.put(CheckReport.WARNING, "The webhooks would admit the object with a warning");
    RULES.put(CheckReport.UNREADABLE, "A file or document that is not a Kubernetes object");
    RULES.put(CheckReport.NOT_CHECKED, "Input that was not checked (and why)");
  }

  /** {@code Kind ns/name: field: message} (the object named once, for annotations). */
  static String message(Finding f) {
    String text = f.fullMessage();
    return f.subject() == null ? text : f.subject().describe() + ": " + text;
  }

  static String summary(CheckReport report) {
    return "webhook check: "
        + report.subjects.size()
        + " objects, "
        + report.count(Severity.ERROR)
        + " errors, "
        + report.count(Severity.WARNING)
        + " warnings";
  }

  private static void putIf(ObjectNode node, String name, String value) {
    if (value != null) {
      node.put(name, value);
    }
  }

  private static String suiteName(String file) {
    return file == null || file.isEmpty() ? "cluster" : file;
  }

  private static String caseKey(Subject subject) {
    return "object " + subject.file() + "#" + subject.line() + "#" + subject.describe();
  }

  /** A relative path as a relative URI reference (SARIF resolves it against the checkout). */
  private static String uri(String file) {
    String path = file.replace('\\', '/');
    StringBuilder out = new StringBuilder();
    for (char c : path.toCharArray()) {
      if (Character.isLetterOrDigit(c) && c < 128 || "/-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          out.append('%').append(String.format("%02X", b & 0xff));
        }
      }
    }
    return out.toString();
  }

  /** Workflow command data: %, CR and LF escaped. */
  static String data(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Workflow command property: also : and , escaped. */
  static String property(String text) {
    return data(text).replace(":", "%3A").replace(",", "%2C");
  }

  static String xml(String text) {
    String value = Objects.requireNonNullElse(text, "");
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            out.append('?'); // not representable in XML 1.0
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
