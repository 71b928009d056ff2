package dk.sektorbro.gateway.journal;

import dk.sektorbro.gateway.platform.Sha256;
import java.util.regex.Pattern;

/**
 * Keeps every value inside the journal column it goes to. A value too long for its column is stored
 * as a reference: its beginning (long digit runs masked, as they may be CPR numbers) and the
 * SHA-256 of the whole, so the original can still be matched at the source.
 */
public final class Columns {

  public static final int SOURCE = 100;
  public static final int RECORD_ID = 200;
  public static final int ORIGINAL_NAME = 500;
  public static final int CONTENT_TYPE = 200;
  public static final int PATH = 1000;
  public static final int REASON = 4000;
  public static final int STAGE = 40;

  private static final int KEPT = 32;
  private static final Pattern DIGIT_RUNS = Pattern.compile("\\d{6,}");
  private static final Pattern UNPRINTABLE =
      Pattern.compile("[\\p{Cntrl}\\p{Cs}\\x{FFFE}\\x{FFFF}]");

  private Columns() {}

  /** The value itself when it fits, else {@link #reference(String)}; null stays null. */
  public static String fit(String value, int column) {
    if (value == null || value.length() <= column) {
      return value;
    }
    return reference(value);
  }

  /** A reason or other prose: cut with an ellipsis, nothing to match later. */
  public static String cut(String text, int column) {
    if (text == null || text.length() <= column) {
      return text;
    }
    return text.substring(0, column - 1) + "…";
  }

  /** "first 32 characters…sha256:&lt;16 hex&gt;": short enough for every column it is used in. */
  public static String reference(String value) {
    String start = value.substring(0, Math.min(KEPT, value.length()));
    start = UNPRINTABLE.matcher(start).replaceAll("?");
    start = DIGIT_RUNS.matcher(start).replaceAll(m -> "#".repeat(m.group().length()));
    return start + "…sha256:" + digest(value);
  }

  /** The first 16 hex digits of the value's SHA-256. */
  public static String digest(String value) {
    return Sha256.hex(value).substring(0, 16);
  }
}
