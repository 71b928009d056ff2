package dk.sektorbro.gateway.mapping;

import java.util.Optional;

/**
 * Characters FHIR strings and XML 1.0 cannot carry. Page and line-tabulation breaks (form feed and
 * vertical tab, as word processors paste them) become line breaks; any other such character is
 * refused with rule {@value #RULE}, naming its code point and position but never the text around
 * it.
 */
public final class TextRules {

  public static final String RULE = "xml-character";

  private TextRules() {}

  /** Form feed and vertical tab as line breaks; everything else unchanged. */
  public static String normalise(String value) {
    if (value.indexOf('\f') < 0 && value.indexOf('\u000b') < 0) {
      return value;
    }
    return value.replace('\f', '\n').replace('\u000b', '\n');
  }

  /** Why the value cannot be carried, or empty when every character can. */
  public static Optional<String> problem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        return Optional.of(describe("a lone surrogate", ch, i));
      }
      if (Character.isLowSurrogate(ch)) {
        return Optional.of(describe("a lone surrogate", ch, i));
      }
      if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
        return Optional.of(describe("a control character", ch, i));
      }
      if (ch == '\ufffe' || ch == '\uffff') {
        return Optional.of(describe("a non-character", ch, i));
      }
    }
    return Optional.empty();
  }

  private static String describe(String what, char ch, int index) {
    return "contains "
        + what
        + " (U+"
        + String.format("%04X", (int) ch)
        + " at position "
        + (index + 1)
        + ") that FHIR and XML cannot carry";
  }
}
