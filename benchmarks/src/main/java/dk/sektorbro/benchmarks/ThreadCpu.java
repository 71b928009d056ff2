package dk.sektorbro.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of the gateway by pipeline stage: each stage runs on its own Camel SEDA workers (thread
 * names end in {@code seda://<stage>}), intake on the file consumers ({@code file://}). CPU time,
 * unlike wall time, holds on a machine shared with other work. Whatever the JVM spends outside Java
 * threads (GC, JIT) is the process CPU time minus the threads'.
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

  private ThreadCpu() {
    for (long id : THREADS.getAllThreadIds()) {
      startByThread.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
    }
    processStart = OS.getProcessCpuTime();
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
    nanos.put("JVM (GC, JIT)", Math.max(0, process - threadsTotal));
    nanos.put("gateway total", process - nanos.get("benchmark driver"));
    Map<String, Double> out = new LinkedHashMap<>();
    nanos.forEach((stage, n) -> out.put(stage, n / 1e6 / messages));
    return out;
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
