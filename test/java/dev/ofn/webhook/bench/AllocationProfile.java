package dev.ofn.webhook.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's allocations went (docs/benchmarks.md, "Where the bytes went"): {@code
 * AllocationProfile FILE.jfr [lines]} sums the weight of the {@code jdk.ObjectAllocationSample}
 * events by frame, counting each frame once per stack (so a method's share includes what its
 * callees allocated), and prints the top lines as shares of the whole. Record with {@code
 * -XX:StartFlightRecording=filename=FILE.jfr,settings=profile} around {@link HotPath}.
 */
public final class AllocationProfile {
  private AllocationProfile() {}

  public static void main(String[] args) throws Exception {
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    Map<String, Long> byFrame = new HashMap<>();
    long total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ObjectAllocationSample")
          || event.getStackTrace() == null) {
        continue;
      }
      long weight = event.getLong("weight");
      total += weight;
      Set<String> seen = new HashSet<>();
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      for (RecordedFrame frame : frames) {
        String name = name(frame);
        if (seen.add(name)) {
          byFrame.merge(name, weight, Long::sum);
        }
      }
    }
    long all = Math.max(1, total);
    byFrame.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(lines)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT, "%5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
  }

  /** {@code Class.method:line} with the package left out. */
  private static String name(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1)
        + "."
        + frame.getMethod().getName()
        + ":"
        + frame.getLineNumber();
  }
}
