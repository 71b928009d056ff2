package dk.sektorbro.gateway.mapping;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The named value transforms a mapping file may use ({@code transform: [digits]}). Logic stays in
 * tested Java; mapping files only name it.
 */
public final class FieldTransforms {

  private static final Map<String, UnaryOperator<String>> TRANSFORMS =
      Map.of(
          "digits", v -> v.replaceAll("\\D", ""),
          "upper", v -> v.toUpperCase(Locale.ROOT),
          "lower", v -> v.toLowerCase(Locale.ROOT),
          "collapseWhitespace", v -> v.replaceAll("\\s+", " ").strip(),
          "removeWhitespace", v -> v.replaceAll("\\s+", ""),
          "stripHyphens", v -> v.replace("-", ""));

  private FieldTransforms() {}

  public static boolean exists(String name) {
    return TRANSFORMS.containsKey(name);
  }

  public static String apply(String name, String value) {
    return TRANSFORMS.get(name).apply(value);
  }

  public static Set<String> names() {
    return TRANSFORMS.keySet();
  }
}
