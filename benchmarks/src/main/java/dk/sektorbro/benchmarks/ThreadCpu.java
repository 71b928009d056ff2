package dk.sektorbro.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of the gateway by pipeline stage: each stage runs on its own Camel SEDA workers (thread
 * names end in {@code seda://<stage>}), intake on the file consumers ({@code file://}). CPU time,
 * unlike wall time, holds on a machine shared with other work. Whatever the JVM spends outside Java
 * threads (GC, JIT) is the process CPU time minus the threads'; on Linux it is split further by the
 * native threads' names in /proc (HotSpot names its collector and compiler threads).
 */
final class ThreadCpu {

  static final String[] STAGES = {
    "intake", "gates", "translate", "validate", "deliver", "other threads", "benchmark driver"
  };

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final Map<Long, Long> startByThread = new LinkedHashMap<>();
  private final long processStart;
  private final Map<String, Long> nativeStart;

  private ThreadCpu() {
    for (long id : THREADS.getAllThreadIds()) {
      startByThread.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
    }
    processStart = OS.getProcessCpuTime();
    nativeStart = nativeTicks();
  }

  static ThreadCpu start() {
    return new ThreadCpu();
  }

  /**
   * Milliseconds of CPU per message since {@link #start()}, by stage, plus "JVM (GC, JIT)" and
   * "gateway total" (the process without the benchmark's own threads, which drop the files and poll
   * the journal).
   */
  Map<String, Double> perMessage(int messages) {
    Map<String, Double> nanos = new LinkedHashMap<>();
    for (String stage : STAGES) {
      nanos.put(stage, 0.0);
    }
    double threadsTotal = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long now = THREADS.getThreadCpuTime(info.getThreadId());
      if (now < 0) {
        continue;
      }
      double spent = now - startByThread.getOrDefault(info.getThreadId(), 0L);
      nanos.merge(stage(info.getThreadName()), spent, Double::sum);
      threadsTotal += spent;
    }
    double process = OS.getProcessCpuTime() - processStart;
    double jvm = Math.max(0, process - threadsTotal);
    nanos.put("JVM (GC, JIT)", jvm);
    Map<String, Long> nativeEnd = nativeTicks();
    if (!nativeEnd.isEmpty()) {
      // Clock ticks (USER_HZ, 100 on Linux) to nanoseconds; a thread that ended in between (G1
      // adds and removes workers) is lost here and counted in "JVM other" instead.
      for (String kind : new String[] {"GC", "JIT"}) {
        long ticks = nativeEnd.getOrDefault(kind, 0L) - nativeStart.getOrDefault(kind, 0L);
        nanos.put("  of which " + kind, Math.max(0, ticks) * 1e7);
      }
      nanos.put(
          "  of which other",
          Math.max(0, jvm - nanos.get("  of which GC") - nanos.get("  of which JIT")));
    }
    nanos.put("gateway total", process - nanos.get("benchmark driver"));
    Map<String, Double> out = new LinkedHashMap<>();
    nanos.forEach((stage, n) -> out.put(stage, n / 1e6 / messages));
    return out;
  }

  /**
   * CPU clock ticks of the JVM's own native threads by kind, from /proc/self/task (empty where
   * there is no /proc): HotSpot's collector threads ("GC Thread#0", "G1 Conc#0", "G1 Refine#0", "G1
   * Main Marker", "G1 Service"; the serial collector works in "VM Thread") and compilers ("C1
   * CompilerThre", "C2 CompilerThre", the names cut at 15 characters).
   */
  private static Map<String, Long> nativeTicks() {
    Map<String, Long> ticks = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return ticks;
    }
    try (var stream = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) stream::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException | RuntimeException ended) {
          continue;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        String kind = nativeKind(name);
        if (kind == null) {
          continue;
        }
        // After "(comm) ": state is field 3; utime and stime are fields 14 and 15.
        String[] fields = stat.substring(close + 2).split(" ");
        ticks.merge(kind, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
      }
    } catch (IOException | RuntimeException e) {
      return new HashMap<>();
    }
    return ticks;
  }

  static String nativeKind(String comm) {
    if (comm.startsWith("GC Thread#")
        || comm.startsWith("G1 ")
        || comm.equals("VM Thread")
        || comm.startsWith("ZWorker")) {
      return "GC";
    }
    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
      return "JIT";
    }
    return null;
  }

  static String stage(String threadName) {
    String name = threadName.toLowerCase(Locale.ROOT);
    for (String stage : new String[] {"gates", "translate", "validate", "deliver"}) {
      if (name.contains("seda://" + stage)) {
        return stage;
      }
    }
    if (name.equals("main") || name.equals("heap-sampler")) {
      return "benchmark driver";
    }
    // file:// the timed poller, inbox-watch- the event-driven one (FileIntakeRoutes)
    return name.contains("file://") || name.startsWith("inbox-watch-") ? "intake" : "other threads";
  }
}
