package dev.ofn.webhook.model;

import dev.ofn.webhook.model.Templates.Part;
import dev.ofn.webhook.model.Templates.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A host template run backwards (docs/ownership.md, "Generated hostnames"): the namespaces whose
 * Functions a gateway's host template can give a hostname. A hostname rendered from a template with
 * {@code {{.Namespace}}} in it is that namespace's before any route uses it. Pure.
 */
public final class GeneratedHosts {
  /** Work per hostname (tries of a field's value); only a hostile template comes near it. */
  private static final int BUDGET = 20_000;

  private static final int MAX_LABEL = 63;

  private GeneratedHosts() {}

  /**
   * The namespaces whose Functions {@code hostTemplate} (empty: the default) with {@code domain}
   * renders {@code hostname} for, sorted; several when the template cannot tell them apart, none
   * when it has no {@code {{.Namespace}}} or cannot render {@code hostname}. A wildcard {@code
   * *.team-a.ofn.io} counts as rendered when the {@code *} stands for (the start of) a name.
   */
  public static Set<String> namespacesOf(String hostname, String hostTemplate, String domain) {
    Set<String> namespaces = new TreeSet<>();
    List<Part> parts = parts(hostTemplate, domain);
    if (parts == null || parts.stream().noneMatch(p -> "Namespace".equals(p.field()))) {
      return namespaces;
    }
    new Matcher(hostname, parts, namespaces).match(0, 0, null, null);
    return namespaces;
  }

  /**
   * A Function and namespace pair, and another one in a different namespace, that {@code
   * hostTemplate} gives the same hostname; empty when it tells namespaces apart. Checked on the
   * shapes that collide in practice ({@code a-b} + {@code c} against {@code a} + {@code b-c}).
   */
  public static Optional<String> collision(String hostTemplate, String domain) {
    String[][] samples = {{"a-b", "c"}, {"a", "b-c"}, {"c", "a-b"}, {"b-c", "a"}};
    for (String[] sample : samples) {
      Optional<String> host = FunctionRoute.renderHost(hostTemplate, sample[0], sample[1], domain);
      if (host.isEmpty()) {
        return Optional.empty();
      }
      Set<String> namespaces = namespacesOf(host.get(), hostTemplate, domain);
      if (namespaces.size() > 1) {
        return Optional.of(
            host.get() + " is rendered for namespaces " + String.join(" and ", namespaces));
      }
    }
    return Optional.empty();
  }

  /**
   * The namespace whose Services are named {@code hostname} ({@code <x>.<namespace>.svc.<cluster
   * domain>}, as a Function's internal host is), if it is one.
   */
  public static Optional<String> serviceNamespace(String hostname, String clusterDomain) {
    String suffix = ".svc." + clusterDomain;
    if (!hostname.endsWith(suffix)) {
      return Optional.empty();
    }
    String head = hostname.substring(0, hostname.length() - suffix.length());
    int dot = head.lastIndexOf('.');
    String namespace = head.substring(dot + 1);
    return dot > 0 && validLabel(namespace) ? Optional.of(namespace) : Optional.empty();
  }

  /** The template's parts with the domain as literal text; null when it is not a template. */
  private static List<Part> parts(String hostTemplate, String domain) {
    Template template;
    try {
      template =
          Templates.parse(FunctionRoute.effectiveHostTemplate(hostTemplate), Names.HOST_FIELDS);
    } catch (Templates.TemplateException e) {
      return null;
    }
    List<Part> parts = new ArrayList<>();
    for (Part part : template.parts()) {
      parts.add("Domain".equals(part.field()) ? new Part(domain, null) : part);
    }
    return parts;
  }

  /** Backtracking over the places each field's value can end; a field keeps one value. */
  private static final class Matcher {
    private final String host;
    private final List<Part> parts;
    private final Set<String> found;
    private int work;

    Matcher(String host, List<Part> parts, Set<String> found) {
      this.host = host;
      this.parts = parts;
      this.found = found;
    }

    void match(int part, int at, String name, String namespace) {
      if (++work > BUDGET) {
        return;
      }
      if (part == parts.size()) {
        if (at == host.length() && namespace != null) {
          found.add(namespace);
        }
        return;
      }
      Part p = parts.get(part);
      String bound = p.field() == null ? p.text() : "Name".equals(p.field()) ? name : namespace;
      if (bound != null) {
        if (host.startsWith(bound, at)) {
          match(part + 1, at + bound.length(), name, namespace);
        }
        return;
      }
      boolean isName = "Name".equals(p.field());
      for (int end = at + 1; end <= host.length(); end++) {
        char c = host.charAt(end - 1);
        boolean wildcard = isName && end - 1 == 0 && c == '*';
        if (!wildcard && !(isName ? nameChar(c) : labelChar(c))) {
          return;
        }
        if (!isName && end - at > MAX_LABEL) {
          return;
        }
        String value = host.substring(at, end);
        if (isName ? validName(value) : validLabel(value)) {
          match(part + 1, end, isName ? value : name, isName ? namespace : value);
        }
      }
    }
  }

  private static boolean labelChar(char c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-';
  }

  private static boolean nameChar(char c) {
    return labelChar(c) || c == '.';
  }

  /** A DNS-1123 label, the form of a namespace's name. */
  private static boolean validLabel(String value) {
    return !value.isEmpty()
        && value.charAt(0) != '-'
        && value.charAt(value.length() - 1) != '-'
        && value.chars().allMatch(c -> labelChar((char) c));
  }

  /** A DNS-1123 subdomain (a Function's name), or one that a leading {@code *} stands in for. */
  private static boolean validName(String value) {
    String rest = value.startsWith("*") ? value.substring(1) : value;
    if (value.startsWith("*")) {
      if (rest.isEmpty()) {
        return true;
      }
      if (!rest.startsWith(".")) {
        return false;
      }
      rest = rest.substring(1);
    }
    for (String label : rest.split("\\.", -1)) {
      if (!validLabel(label)) {
        return false;
      }
    }
    return true;
  }
}
