package dev.ofn.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which top-level packages of {@code dev.ofn.webhook} each one names in its sources (imports and
 * qualified names, comments and string literals left out), and the cycles among them. Reads the
 * sources because the class files lose the uses of inlined constants.
 */
final class SourceDependencies {
  private static final Pattern PACKAGE =
      Pattern.compile("(?m)^package dev\\.ofn\\.webhook\\.(\\w+)");
  private static final Pattern USE = Pattern.compile("\\bdev\\.ofn\\.webhook\\.(\\w+)\\.");
  private static final Pattern COMMENTS_AND_STRINGS =
      Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:[^\"\\\\\\n]|\\\\.)*\"");

  private static final int SHOWN = 10;

  private SourceDependencies() {}

  /** Package → the other packages its sources use. */
  static Map<String, Set<String>> ofPackages(Path sourceRoot) throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sourceRoot)) {
      files = walk.filter(f -> f.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      String source = Files.readString(file);
      Matcher pkg = PACKAGE.matcher(source);
      if (!pkg.find()) {
        continue; // dev.ofn.webhook itself: nothing lives there that a package could use
      }
      String from = pkg.group(1);
      String code = COMMENTS_AND_STRINGS.matcher(source.substring(pkg.end())).replaceAll(" ");
      Matcher use = USE.matcher(code);
      while (use.find()) {
        if (!use.group(1).equals(from)) {
          uses.computeIfAbsent(from, k -> new TreeSet<>()).add(use.group(1));
        }
      }
    }
    return uses;
  }

  /**
   * The cycles, once each, as "a -> b -> a" starting from the smallest package; at most {@link
   * #SHOWN}, which is plenty to say where to look.
   */
  static List<String> cycles(Map<String, Set<String>> uses) {
    Set<String> found = new TreeSet<>();
    for (String start : uses.keySet()) {
      walk(uses, start, new ArrayList<>(List.of(start)), found);
    }
    return List.copyOf(found);
  }

  private static void walk(
      Map<String, Set<String>> uses, String start, List<String> path, Set<String> found) {
    for (String next : uses.getOrDefault(path.get(path.size() - 1), Set.of())) {
      if (found.size() >= SHOWN) {
        return;
      }
      if (next.equals(start)) {
        if (path.stream().allMatch(p -> p.compareTo(start) >= 0)) {
          found.add(String.join(" -> ", path) + " -> " + start);
        }
      } else if (!path.contains(next) && next.compareTo(start) > 0) {
        path.add(next);
        walk(uses, start, path, found);
        path.remove(path.size() - 1);
      }
    }
  }
}
