package dk.sektorbro.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingStream;

/**
 * What the JIT compiled while the measured records went through (JFR's {@code jdk.Compilation} and
 * {@code jdk.Deoptimization}, streamed in-process from the start): the JIT line of the CPU table
 * says how much, this says what, and whether it is the compilers catching up (methods compiled at
 * C2 for the first time) or churn (methods compiled at C2 again after a deoptimisation).
 */
final class JitWindow implements AutoCloseable {

  /** One compilation: the method, its tier, when, how long (wall) and how much code it made. */
  record Compile(
      String method, int level, boolean osr, Instant start, Duration duration, long codeSize) {

    String owner() {
      int dot = method.lastIndexOf('.', method.indexOf('('));
      String type = method.substring(0, dot);
      String[] parts = type.split("\\.");
      return String.join(".", List.of(parts).subList(0, Math.min(4, parts.length - 1)));
    }
  }

  private final RecordingStream stream = new RecordingStream();
  private final List<Compile> compiles = new ArrayList<>();
  private final List<Instant> deoptimizations = new ArrayList<>();

  private JitWindow() {
    stream.enable("jdk.Compilation").withThreshold(Duration.ZERO);
    stream.enable("jdk.Deoptimization");
    stream.onEvent("jdk.Compilation", this::compiled);
    stream.onEvent("jdk.Deoptimization", this::deoptimized);
    stream.startAsync();
  }

  static JitWindow start() {
    return new JitWindow();
  }

  private synchronized void compiled(RecordedEvent event) {
    if (!event.getBoolean("succeded")) {
      return;
    }
    compiles.add(
        new Compile(
            name(event.getValue("method")),
            event.getInt("compileLevel"),
            event.getBoolean("isOsr"),
            event.getStartTime(),
            event.getDuration(),
            event.getLong("codeSize")));
  }

  private synchronized void deoptimized(RecordedEvent event) {
    deoptimizations.add(event.getStartTime());
  }

  private static String name(RecordedMethod method) {
    return method.getType().getName() + "." + method.getName() + method.getDescriptor();
  }

  /** Prints what was compiled between {@code from} and {@code to}, per message of {@code n}. */
  void print(Instant from, Instant to, int messages) {
    List<Compile> all;
    long deopts;
    synchronized (this) {
      all = new ArrayList<>(compiles);
      deopts = deoptimizations.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
    }
    all.sort(Comparator.comparing(Compile::start));
    Set<String> atC2Before = new HashSet<>();
    List<Compile> window = new ArrayList<>();
    int c2First = 0;
    int c2Again = 0;
    for (Compile c : all) {
      boolean c2 = c.level() == 4 && !c.osr();
      if (!c.start().isBefore(from) && c.start().isBefore(to)) {
        window.add(c);
        if (c2) {
          if (atC2Before.contains(c.method())) {
            c2Again++;
          } else {
            c2First++;
          }
        }
      }
      if (c2) {
        atC2Before.add(c.method());
      }
    }
    List<Compile> c2 = window.stream().filter(c -> c.level() == 4).toList();
    double c2Seconds = c2.stream().mapToLong(c -> c.duration().toNanos()).sum() / 1e9;
    System.out.println();
    System.out.println(
        "JIT while the measured records went through (JFR, compile times are wall):");
    System.out.printf(
        Locale.ROOT,
        "  compilations       %d (%.2f per message): C2 %d (%d methods for the first time, %d"
            + " again), C1 %d%n",
        window.size(),
        window.size() / (double) messages,
        c2.size(),
        c2First,
        c2Again,
        window.size() - c2.size());
    System.out.printf(
        Locale.ROOT,
        "  C2 compile time    %.1f s wall, %.1f KB of code%n",
        c2Seconds,
        c2.stream().mapToLong(Compile::codeSize).sum() / 1024.0);
    System.out.printf(Locale.ROOT, "  deoptimizations    %d%n", deopts);
    Map<String, Duration> byOwner = new TreeMap<>();
    c2.forEach(c -> byOwner.merge(c.owner(), c.duration(), Duration::plus));
    System.out.println("  C2 time by package (largest first):");
    byOwner.entrySet().stream()
        .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
        .limit(8)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT, "    %-44s %6.2f s%n", e.getKey(), e.getValue().toNanos() / 1e9));
    System.out.println("  longest C2 compilations:");
    c2.stream()
        .sorted(Comparator.comparing(Compile::duration).reversed())
        .limit(8)
        .forEach(
            c ->
                System.out.printf(
                    Locale.ROOT,
                    "    %6.2f s %6.1f KB  %s%n",
                    c.duration().toNanos() / 1e9,
                    c.codeSize() / 1024.0,
                    c.method().substring(0, c.method().indexOf('('))));
  }

  @Override
  public void close() {
    stream.close();
  }
}
