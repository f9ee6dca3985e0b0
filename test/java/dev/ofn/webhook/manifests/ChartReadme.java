package dev.ofn.webhook.manifests;

import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The chart README's values table, generated from {@code values.yaml}: every key with a {@code #
 * --} comment above it is a row (its dotted path, its default as JSON, the comment). {@link
 * ChartReadmeTest} fails when the README holds another table; {@code mvn test
 * -Dtest=ChartReadmeTest -Dchart.readme.update=true} rewrites it.
 */
final class ChartReadme {
  static final String START = "<!-- values:start (generated from values.yaml: ChartReadmeTest) -->";
  static final String END = "<!-- values:end -->";

  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(?: .*)?$");
  private static final Pattern DOC = Pattern.compile("^ *# -- ?(.*)$");
  private static final Pattern MORE = Pattern.compile("^ *# ?(.*)$");

  private ChartReadme() {}

  record Row(String key, String defaultValue, String description) {}

  static List<Row> rows(String valuesYaml) {
    JsonNode values = Json.YAML.readTree(valuesYaml);
    List<Row> rows = new ArrayList<>();
    Deque<int[]> indents = new ArrayDeque<>();
    Deque<String> path = new ArrayDeque<>();
    StringBuilder doc = null;
    for (String line : valuesYaml.split("\n", -1)) {
      Matcher d = DOC.matcher(line);
      if (d.matches()) {
        doc = new StringBuilder(d.group(1).strip());
        continue;
      }
      Matcher more = MORE.matcher(line);
      if (more.matches()) {
        if (doc != null) {
          doc.append(' ').append(more.group(1).strip());
        }
        continue;
      }
      Matcher k = KEY.matcher(line);
      if (!k.matches()) {
        if (line.isBlank()) {
          doc = null;
        }
        continue;
      }
      int indent = k.group(1).length();
      while (!indents.isEmpty() && indents.peek()[0] >= indent) {
        indents.pop();
        path.pop();
      }
      indents.push(new int[] {indent});
      path.push(k.group(2));
      if (doc != null) {
        List<String> keys = new ArrayList<>(path);
        Collections.reverse(keys);
        JsonNode value = values;
        for (String key : keys) {
          value = value.path(key);
        }
        rows.add(
            new Row(String.join(".", keys), Json.MAPPER.writeValueAsString(value), doc.toString()));
        doc = null;
      }
    }
    return rows;
  }

  /** The Markdown table between the markers (markers included). */
  static String table(String valuesYaml) {
    StringBuilder out = new StringBuilder(START).append('\n');
    out.append("| value | default | |\n|---|---|---|\n");
    for (Row row : rows(valuesYaml)) {
      out.append("| `")
          .append(row.key())
          .append("` | `")
          .append(row.defaultValue().replace("|", "\\|"))
          .append("` | ")
          .append(row.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.append(END).toString();
  }

  /** The README with its table replaced by the one {@code values.yaml} gives today. */
  static String regenerate(String readme, String valuesYaml) {
    int start = readme.indexOf(START);
    int end = readme.indexOf(END);
    if (start < 0 || end < start) {
      throw new IllegalStateException(
          "the chart README has no " + START + " ... " + END + " block");
    }
    return readme.substring(0, start) + table(valuesYaml) + readme.substring(end + END.length());
  }

  static void update(Path chart) throws IOException {
    Path readme = chart.resolve("README.md");
    Files.writeString(
        readme,
        regenerate(Files.readString(readme), Files.readString(chart.resolve("values.yaml"))));
  }
}
