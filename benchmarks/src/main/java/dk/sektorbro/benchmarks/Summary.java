package dk.sektorbro.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The figures of one benchmark run by name, written with {@code --summary=FILE} as a properties
 * file, so that {@link TargetsBenchmark} reads numbers from its child runs instead of parsing the
 * text they print for people.
 */
final class Summary {

  private final Map<String, Double> figures = new TreeMap<>();

  void put(String name, double value) {
    figures.put(name, value);
  }

  /** Writes the figures to {@code file}; nothing when there is none (no --summary given). */
  void writeTo(Path file) throws IOException {
    if (file == null) {
      return;
    }
    // By name, one per line, as Properties reads them (its own store() would shuffle them).
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("# Sektorbro benchmark figures\n");
      for (Map.Entry<String, Double> figure : figures.entrySet()) {
        out.write(figure.getKey() + "=" + format(figure.getValue()) + "\n");
      }
    }
  }

  static Map<String, Double> read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    Map<String, Double> figures = new TreeMap<>();
    properties.forEach(
        (name, value) -> figures.put((String) name, Double.parseDouble((String) value)));
    return figures;
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
