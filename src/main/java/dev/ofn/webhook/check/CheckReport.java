package dev.ofn.webhook.check;

import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.check.Manifests.Document;
import dev.ofn.webhook.check.Manifests.Problem;
import dev.ofn.webhook.check.OfflineAdmission.Admitted;
import dev.ofn.webhook.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What {@code webhook check} found, format-neutral: the objects checked (one test case each in
 * JUnit) and the findings, each with severity, rule, file and line, object, field path, message
 * and, for a route conflict, the owner of the route (and where it is in the input).
 */
final class CheckReport {
  enum Severity {
    ERROR,
    WARNING,
    NOTE;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Rules (SARIF rule ids): what kind of finding it is. */
  static final String INVALID = "invalid";

  static final String ROUTE_CONFLICT = "route-conflict";
  static final String SHADOWED = "shadowed-route";
  static final String WARNING = "warning";
  static final String UNREADABLE = "unreadable";
  static final String NOT_CHECKED = "not-checked";

  /** An object of the input (or of the cluster: {@code file} empty). */
  record Subject(
      String file, int line, String apiVersion, String kind, String namespace, String name) {
    String describe() {
      return kind + " " + namespace + "/" + name;
    }

    static Subject of(String file, int line, JsonNode object) {
      return new Subject(
          file,
          line,
          Json.stringOr(object, "", "apiVersion"),
          Json.stringOr(object, "?", "kind"),
          Json.stringOr(object, "", "metadata", "namespace"),
          Json.stringOr(object, "", "metadata", "name"));
    }
  }

  /**
   * One finding. {@code subject} is null for a file-level problem; {@code field} and {@code owner}
   * may be null; {@code text} is its line in the text format.
   */
  record Finding(
      Severity severity,
      String rule,
      String file,
      int line,
      Subject subject,
      String field,
      String message,
      String owner,
      String ownerFile,
      int ownerLine,
      String text) {
    /** The message with its field path in front, as the apiserver prints it. */
    String fullMessage() {
      return field == null ? message : field + ": " + message;
    }
  }

  final List<Subject> subjects = new ArrayList<>();
  final List<Finding> findings = new ArrayList<>();

  /** The files (and folders) of the subjects and findings, in input order. */
  final java.util.Set<String> files = new java.util.LinkedHashSet<>();

  long count(Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).count();
  }

  /** The findings of the input, in input order. */
  static CheckReport of(Manifests.Input input, List<Admitted> admitted) {
    CheckReport report = new CheckReport();
    Map<Document, Admitted> byDocument = new IdentityHashMap<>();
    Map<String, Document> byName = new HashMap<>();
    for (Admitted a : admitted) {
      byDocument.put(a.source(), a);
      if (a.duplicateOf() == null) {
        byName.putIfAbsent(a.describe(), a.source());
      }
    }
    for (Object item : input.items()) {
      if (item instanceof Problem problem) {
        report.problem(problem);
      } else if (item instanceof Document document && byDocument.containsKey(document)) {
        report.object(byDocument.get(document), byName);
      }
    }
    return report;
  }

  void problem(Problem problem) {
    Severity severity = problem.error() ? Severity.ERROR : Severity.NOTE;
    files.add(problem.file());
    findings.add(
        new Finding(
            severity,
            problem.error() ? UNREADABLE : NOT_CHECKED,
            problem.file(),
            problem.line(),
            null,
            null,
            problem.message(),
            null,
            null,
            0,
            problem.error() ? problem.render() : problem.file() + ": note: " + problem.message()));
  }

  void object(Admitted admitted, Map<String, Document> byName) {
    Document source = admitted.source();
    files.add(source.file());
    Subject subject = Subject.of(source.file(), source.line(), admitted.object());
    String prefix =
        (source.file().isEmpty() ? "" : source.file() + ": ") + admitted.describe() + ": ";
    if (admitted.duplicateOf() != null) {
      Document first = admitted.duplicateOf();
      String message =
          "the same object as "
              + first.file()
              + (first.line() > 0 ? " line " + first.line() : "")
              + ": checked once, there";
      findings.add(
          new Finding(
              Severity.NOTE,
              NOT_CHECKED,
              source.file(),
              source.line(),
              subject,
              null,
              message,
              null,
              null,
              0,
              prefix + "note: " + message));
      subjects.add(subject);
      return;
    }
    boolean ours =
        !Endpoint.forObject(admitted.object()).isEmpty()
            || !admitted.errors().isEmpty()
            || !admitted.warnings().isEmpty();
    if (ours && !"Namespace".equals(subject.kind())) {
      subjects.add(subject);
    }
    for (String line : admitted.errors()) {
      String owner = owner(line, admitted.conflictOwners());
      boolean conflict = owner != null || line.contains(" is routed twice in this object");
      findings.add(
          finding(
              Severity.ERROR,
              conflict ? ROUTE_CONFLICT : INVALID,
              source,
              subject,
              line,
              owner,
              byName,
              prefix + line));
    }
    for (String warning : admitted.warnings()) {
      findings.add(
          finding(
              Severity.WARNING,
              WARNING,
              source,
              subject,
              warning,
              null,
              byName,
              prefix + "warning: " + warning));
    }
  }

  private static Finding finding(
      Severity severity,
      String rule,
      Document source,
      Subject subject,
      String line,
      String owner,
      Map<String, Document> byName,
      String text) {
    String[] split = splitField(line);
    Document at = owner == null ? null : byName.get(owner);
    return new Finding(
        severity,
        rule,
        source.file(),
        split[0] == null ? source.line() : source.lineOf(split[0]),
        subject,
        split[0],
        split[1],
        owner,
        at == null ? null : at.file(),
        at == null ? 0 : at.line(),
        text);
  }

  private static final Pattern FIELD =
      Pattern.compile("^((?:existing problem: )?)([^\\s:]+): (.*)$");

  /**
   * {@code [field, message]} of an apiserver-style line ({@code spec.domain: Required value: ...});
   * field null when the line names none. An {@code existing problem: } prefix stays on the message.
   */
  static String[] splitField(String line) {
    Matcher m = FIELD.matcher(line);
    if (!m.matches() || !looksLikePath(m.group(2))) {
      return new String[] {null, line};
    }
    return new String[] {m.group(2), m.group(1) + m.group(3)};
  }

  private static boolean looksLikePath(String field) {
    return field.matches("[A-Za-z][A-Za-z0-9_]*(\\[[^\\]]*\\]|\\.[A-Za-z0-9_]+)*");
  }

  /**
   * The owner the line names, among those of the validating answer's audit annotation: the line
   * ends {@code is already routed by <owner>} (possibly followed by a note in parentheses).
   */
  static String owner(String line, List<String> owners) {
    for (String owner : owners) {
      if (line.contains(" is already routed by " + owner)) {
        String rest = line.substring(line.indexOf(" is already routed by " + owner));
        rest = rest.substring((" is already routed by " + owner).length());
        if (rest.isEmpty() || rest.startsWith(" ") || rest.startsWith(",")) {
          return owner;
        }
      }
    }
    return null;
  }
}
