package dev.ofn.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build: the pom's, filtered into {@code version.properties}. */
public final class BuildVersion {
  private static final String VERSION = load();

  private BuildVersion() {}

  /** E.g. {@code 0.1.0}; {@code unknown} when the resource is missing (an unfiltered build). */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
