package dk.sektorbro.gateway.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The structural fingerprint of an encoded message: the whole message, literally, except for the
 * values that differ from one message of a kind to the next and that no MedCom rule looks into
 * beyond what a per-value check here decides. Each such value is replaced by a placeholder only if
 * it passes its check; a value that fails stays literal, so the message gets a template of its own
 * and is validated by HAPI.
 *
 * <ul>
 *   <li>UUIDs (lower-case, anywhere): renamed by order of first appearance, so which references
 *       point where (and which dangle) is part of the template; their version digit stays literal
 *       and their variant digit keeps whether it is RFC 4122's 8, 9, a or b (MedComDocument
 *       requires version 4: found by the differential corpus);
 *   <li>instants with seconds and zone, and full dates: must be real calendar values (zone within
 *       ±14:00, years 1900–2100, the years HAPI finds reasonable) and not a resource's name (id,
 *       fullUrl, reference); replaced by their rank among the message's instants (or dates) and
 *       their precision, and each date's order against each instant's day, so every comparison
 *       between them is kept;
 *   <li>free text (name parts, CodeableConcept.text, Communication payload text, attachment title)
 *       and narrative text nodes: no control, BiDi or markup characters, no leading or trailing
 *       space (HAPI's whitespace: no-break spaces too), at most 10,000 characters;
 *   <li>CPR numbers (Identifier.value with system urn:oid:1.2.208.176.1.2): must match the {@code
 *       cpr} invariants of dk-core 2.0.0 and 3.x both (the chains load different versions).
 * </ul>
 *
 * Free texts, narrative texts and CPR numbers are numbered by first appearance of each distinct
 * value, so which of them equal each other is kept, as it is for UUIDs (every fullUrl, id and
 * reference) and instants and dates (their ranks). Everything else (codes, systems, profiles, fixed
 * values, identifiers, structure, entry order) is literal. Two messages with the same fingerprint
 * get the same HAPI findings; the differential corpus (test sources) checks that claim against HAPI
 * on thousands of mutants.
 */
final class Fingerprint {

  static final String CPR_SYSTEM = "urn:oid:1.2.208.176.1.2";
  static final Set<String> TEXT_KEYS = Set.of("family", "given", "text", "contentString", "title");
  static final int MAX_TEXT = 10_000;

  /**
   * Keys whose value names a resource (its id, a fullUrl, a reference): a date there is not a date
   * but part of a name that other values repeat literally, so it stays literal (a resource id
   * "2020-01-01" was a date placeholder while the fullUrl naming it was not).
   */
  static final Set<String> NAME_KEYS = Set.of("id", "fullUrl", "reference");

  private static final Pattern INSTANT =
      Pattern.compile(
          "(\\d{4})-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-](\\d{2}):(\\d{2}))");
  private static final Pattern DATE = Pattern.compile("(\\d{4})-\\d{2}-\\d{2}");
  // dk-core 3.4.0 and 3.5.0 and MedCom core 4.0.0, invariant "cpr" on the CPR identifier's value.
  private static final Pattern CPR =
      Pattern.compile(
          "^((((0[1-9]|1[0-9]|2[0-9]|3[0-1])(01|03|05|07|08|10|12))"
              + "|((0[1-9]|1[0-9]|2[0-9]|30)(04|06|09|11))|((0[1-9]|1[0-9]|2[0-9])(02)))[0-9]{6})$");
  // dk-core 2.0.0 (the Acknowledgement and HospitalNotification chains), invariant "cpr": stricter
  // (29 February only in leap years), so a CPR is a placeholder only if it passes both.
  private static final Pattern CPR_DK_CORE_2 =
      Pattern.compile(
          "^(?:(?:31(?:0[13578]|1[02])|(?:30|29)(?:0[13-9]|1[0-2])"
              + "|(?:0[1-9]|1[0-9]|2[0-8])(?:0[1-9]|1[0-2]))[0-9]{2}[0-9]|290200[4-9]|2902(?:(?!00)[02468][048]|[13579][26])[0-3])[0-9]{3}$");
  private static final Pattern MARKUP = Pattern.compile("<[^<>]*>|[^<>]+");
  // HAPI warns about a date or dateTime after 2100 (Type_Specific_Checks_DT_DateTime_Reasonable:
  // years 1800-2100), so a later one stays literal (found by the red team on 2026-12-07; it was
  // 2199).
  private static final int LAST_YEAR = 2100;
  private static final JsonFactory JSON = new JsonFactory();
  private static final XMLInputFactory XML = xmlFactory();

  private final StringBuilder template = new StringBuilder(8192);
  private final Map<String, Integer> uuids = new HashMap<>();
  private final Map<String, Integer> equalValues = new HashMap<>();
  private final List<OffsetDateTime> instants = new ArrayList<>();
  private final List<LocalDate> dates = new ArrayList<>();
  private final List<String> opaque = new ArrayList<>();
  private final StringBuilder kinds = new StringBuilder();

  private Fingerprint() {}

  /** The fingerprint of a message, or null when it is not well-formed JSON or XML. */
  static Fingerprint of(String message) {
    Fingerprint f = new Fingerprint();
    try {
      if (HapiInstanceRun.isXml(message)) {
        f.template.append("X:");
        f.xml(message);
      } else {
        f.template.append("J:");
        f.json(message);
      }
    } catch (IOException | XMLStreamException | RuntimeException e) {
      return null;
    }
    f.ranks();
    return f;
  }

  /**
   * SHA-256 of the template: the cache key. A cryptographic hash, because a message's literal parts
   * are chosen by whoever wrote it (received messages come from outside): with a hash anyone can
   * collide on purpose (MurmurHash3, used until 2026-12-07, has published seed-independent
   * collisions), an invalid message could be made to share the key of a valid template and be
   * answered valid. SHA-256 of a 16,000-character template costs about 6 µs of CPU more than
   * MurmurHash3 (12.7 against 6.2 µs, docs/benchmarks.md, fifteenth session).
   */
  String key() {
    return Hashing.sha256().hashString(template, StandardCharsets.UTF_8).toString();
  }

  String template() {
    return template.toString();
  }

  /**
   * The values replaced by placeholders, in template order (the same order for every message of a
   * template).
   */
  List<String> opaqueValues() {
    return opaque;
  }

  /**
   * The kind of each opaque value: u UUID, t instant, d date, x free text, h narrative text, c CPR.
   */
  char kind(int index) {
    return kinds.charAt(index);
  }

  private void json(String message) throws IOException {
    Deque<String[]> levels =
        new ArrayDeque<>(); // per object: {key of the value being read, last system}
    Deque<String> arrays = new ArrayDeque<>();
    try (JsonParser p = JSON.createParser(message)) {
      JsonToken t;
      String key = null;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case START_OBJECT -> {
            template.append('{');
            levels.push(new String[] {null, null});
          }
          case END_OBJECT -> {
            template.append('}');
            levels.pop();
          }
          case START_ARRAY -> {
            template.append('[');
            arrays.push(key == null ? "" : key);
          }
          case END_ARRAY -> {
            template.append(']');
            arrays.pop();
          }
          case FIELD_NAME -> {
            key = p.currentName();
            levels.peek()[0] = key;
            template.append('"');
            literal(key);
            template.append("\":");
          }
          case VALUE_STRING -> {
            String[] level = levels.peek();
            String valueKey =
                p.getParsingContext().inArray() ? arrays.peek() : level == null ? null : level[0];
            String text = p.getText();
            template.append('"');
            value(valueKey, text, level == null ? null : level[1]);
            template.append('"');
            if ("system".equals(valueKey) && level != null) {
              level[1] = text;
            }
          }
          default -> {
            template.append(t.id()).append(':');
            literal(p.getText());
          }
        }
        template.append(',');
      }
    }
  }

  private void xml(String message) throws XMLStreamException {
    XMLStreamReader r = XML.createXMLStreamReader(new StringReader(message));
    Deque<String> systems =
        new ArrayDeque<>(); // last system value seen among each element's children
    int divDepth = -1;
    int depth = 0;
    try {
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.START_ELEMENT -> {
            depth++;
            String name = r.getLocalName();
            template.append('<').append(r.getNamespaceURI()).append('|').append(name);
            for (int i = 0; i < r.getNamespaceCount(); i++) {
              template
                  .append(" ns:")
                  .append(r.getNamespacePrefix(i))
                  .append('=')
                  .append(r.getNamespaceURI(i));
            }
            if (divDepth < 0
                && "div".equals(name)
                && "http://www.w3.org/1999/xhtml".equals(r.getNamespaceURI())) {
              divDepth = depth;
            }
            for (int i = 0; i < r.getAttributeCount(); i++) {
              String attribute = r.getAttributeLocalName(i);
              template
                  .append(' ')
                  .append(r.getAttributeNamespace(i))
                  .append('|')
                  .append(attribute)
                  .append("=\"");
              if (divDepth < 0 && "value".equals(attribute)) {
                value(name, r.getAttributeValue(i), systems.peek());
                if ("system".equals(name) && !systems.isEmpty()) {
                  systems.pop();
                  systems.push(r.getAttributeValue(i));
                }
              } else {
                uuids(r.getAttributeValue(i));
              }
              template.append('"');
            }
            template.append('>');
            systems.push("");
          }
          case XMLStreamConstants.END_ELEMENT -> {
            if (depth == divDepth) {
              divDepth = -1;
            }
            depth--;
            systems.pop();
            template.append("</>");
          }
          case XMLStreamConstants.CHARACTERS,
              XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            String text = r.getText();
            if (divDepth >= 0) {
              narrativeText(text);
            } else if (!xmlWhitespace(text)) {
              template.append("#text:");
              literal(text);
            }
          }
          case XMLStreamConstants.END_DOCUMENT -> template.append("$");
          default -> {
            // comments, processing instructions, DTDs: literal, so they get their own template
            template.append('?').append(event).append(':');
            literal(r.hasText() ? r.getText() : String.valueOf(r.getEventType()));
          }
        }
      }
    } finally {
      r.close();
    }
  }

  private void value(String key, String text, String system) {
    if ("div".equals(key)) {
      Matcher m = MARKUP.matcher(text);
      int end = 0;
      while (m.find()) {
        if (m.start() != end) {
          throw new IllegalArgumentException("unparsed narrative");
        }
        String part = m.group();
        if (part.charAt(0) == '<') {
          uuids(part);
        } else {
          narrativeText(part);
        }
        end = m.end();
      }
      if (end != text.length()) {
        literal(text.substring(end));
      }
      return;
    }
    if (key != null && TEXT_KEYS.contains(key) && plainText(text, false)) {
      placeholder('x', text);
      return;
    }
    if ("value".equals(key)
        && CPR_SYSTEM.equals(system)
        && CPR.matcher(text).matches()
        && CPR_DK_CORE_2.matcher(text).matches()) {
      placeholder('c', text);
      return;
    }
    if (mayBeDate(text) && (key == null || !NAME_KEYS.contains(key))) {
      Matcher instant = INSTANT.matcher(text);
      OffsetDateTime parsedInstant = instant.matches() ? realInstant(instant, text) : null;
      if (parsedInstant != null) {
        template
            .append("\u0001t")
            .append(instants.size())
            .append('.')
            .append(instant.group(2) == null ? 0 : instant.group(2).length())
            .append('\u0002');
        instants.add(parsedInstant);
        opaque(text, 't');
        return;
      }
      Matcher date = DATE.matcher(text);
      LocalDate parsedDate = date.matches() ? realDate(date, text) : null;
      if (parsedDate != null) {
        template.append("\u0001d").append(dates.size()).append('\u0002');
        dates.add(parsedDate);
        opaque(text, 'd');
        return;
      }
    }
    uuids(text);
  }

  // Most values are no date: four digits and a dash first, or neither pattern can match (saves two
  // matchers per value on the hot path).
  private static boolean mayBeDate(String text) {
    return text.length() >= 10
        && text.charAt(4) == '-'
        && Character.isDigit(text.charAt(0))
        && Character.isDigit(text.charAt(3));
  }

  private void narrativeText(String text) {
    if (plainText(text, true)) {
      placeholder('h', text);
    } else {
      uuids(text);
    }
  }

  // Which free texts, narrative texts and CPR numbers equal each other is part of the template (as
  // for UUIDs), so a rule comparing two of them sees the same structure in every message of it.
  private void placeholder(char kind, String text) {
    Integer same = equalValues.putIfAbsent(text, equalValues.size());
    template
        .append('\u0001')
        .append(kind)
        .append(same == null ? equalValues.size() - 1 : same)
        .append('\u0002');
    opaque(text, kind);
  }

  private void opaque(String text, char kind) {
    opaque.add(text);
    kinds.append(kind);
  }

  /**
   * Replaces each UUID by its order of first appearance; the rest is literal. A UUID (36
   * characters, lower-case hex, dashes at 8, 13, 18 and 23) is found by its first dash instead of a
   * regex matcher per value: the same leftmost, non-overlapping matches as the pattern {@code
   * [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}} with {@code find()}, at a
   * fraction of the cost (the matcher was about a sixth of the fingerprint's CPU).
   */
  private void uuids(String text) {
    int at = 0;
    int dash = text.indexOf('-', 8);
    while (dash >= 0 && dash + 28 <= text.length()) {
      int start = dash - 8;
      if (!isUuid(text, start)) {
        dash = text.indexOf('-', dash + 1);
        continue;
      }
      literal(text, at, start);
      String uuid = text.substring(start, start + 36);
      Integer index = uuids.get(uuid);
      if (index == null) {
        index = uuids.size();
        uuids.put(uuid, index);
        opaque(uuid, 'u');
      }
      // The version and variant digits stay literal: MedCom's uuid invariants check them (v4, v5).
      template
          .append("\u0001u")
          .append(index)
          .append(':')
          .append(uuid.charAt(14))
          .append("89ab".indexOf(uuid.charAt(19)) >= 0 ? 'v' : uuid.charAt(19))
          .append('\u0002');
      at = start + 36;
      dash = text.indexOf('-', at + 8);
    }
    literal(text, at, text.length());
  }

  private static boolean isUuid(String text, int start) {
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(start + i);
      boolean ok =
          i == 8 || i == 13 || i == 18 || i == 23
              ? c == '-'
              : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private void literal(String text) {
    literal(text, 0, text.length());
  }

  // Escapes control characters, quotes and backslashes; runs without them are copied in one append
  // (a char at a time was an eighth of the fingerprint's CPU).
  private void literal(String text, int from, int to) {
    int run = from;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        template.append(text, run, i).append('\\').append((int) c).append(';');
        run = i + 1;
      }
    }
    template.append(text, run, to);
  }

  // The instants' and dates' order within the message: every comparison a rule could make.
  private void ranks() {
    template.append("|T");
    rank(instants.stream().map(OffsetDateTime::toInstant).toList());
    template.append("|D");
    rank(dates);
    // A rule can compare a date with an instant (per-1: a Period starting at an instant and ending
    // on a date): FHIRPath compares them by day, so each instant's day (in its own offset and in
    // UTC) is ranked among the dates.
    if (!dates.isEmpty() && !instants.isEmpty()) {
      List<LocalDate> days = new ArrayList<>(dates);
      for (OffsetDateTime instant : instants) {
        days.add(instant.toLocalDate());
        days.add(instant.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate());
      }
      template.append("|X");
      rank(days);
    }
  }

  private <T extends Comparable<? super T>> void rank(List<T> values) {
    List<T> distinct = new ArrayList<>(new TreeSet<>(values));
    for (T value : values) {
      template.append(distinct.indexOf(value)).append(',');
    }
  }

  /**
   * Free text HAPI checks only as a string: not empty, no leading or trailing whitespace (narrative
   * text nodes may have it, but must have some non-space), no control characters other than tab and
   * line breaks (inside the text: FHIR's string regex {@code [ \r\n\t\S]+} allows them, and nearly
   * every real note has them; the differential corpus has texts with them everywhere), no BiDi
   * controls, no markup or entity characters, bounded length.
   */
  static boolean plainText(String text, boolean narrative) {
    if (text.isEmpty() || text.length() > MAX_TEXT) {
      return false;
    }
    if (!narrative && (whitespace(text.charAt(0)) || whitespace(text.charAt(text.length() - 1)))) {
      return false;
    }
    // One pass: the checks below, and whether any character is not whitespace (String.isBlank;
    // a surrogate, the only way to a code point outside the BMP, fails the checks anyway).
    boolean blank = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c > ' ' && c < 0x7f && c != '<' && c != '>' && c != '&') || (c > 0xa0 && c < 0x1680)) {
        // printable ASCII and Latin-1 to Cyrillic and beyond (Danish letters): the common case,
        // none of them whitespace nor refused below
        blank = false;
        continue;
      }
      blank &= whitespace(c);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r')
          || c == '<'
          || c == '>'
          || c == '&'
          || (c >= 0x7f && c <= 0x9f)
          || (c >= 0x200b && c <= 0x200f)
          || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069)
          || c == '\ufeff'
          || c >= '\ufff0'
          || Character.isSurrogate(c)) {
        return false;
      }
    }
    return !blank;
  }

  /**
   * Whitespace as HAPI's checks of strings see it (its {@code Utilities.isWhitespace}: Unicode's
   * White_Space), which has the no-break spaces U+00A0, U+2007 and U+202F that Java's {@code
   * isWhitespace} has not: a text starting or ending with one has a warning in HAPI (found by the
   * red team on 2026-12-07). U+0085 and U+001C-U+001F are refused as controls anyway.
   */
  static boolean whitespace(char c) {
    return Character.isWhitespace(c) || c == '\u00a0' || c == '\u2007' || c == '\u202f';
  }

  /**
   * Only what XML calls whitespace (space, tab, line feed, carriage return) may stand between
   * elements unseen: HAPI refuses any other text there, U+3000 or U+2028 too (Java's {@code
   * isBlank} took them for blank, so fast said valid).
   */
  private static boolean xmlWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  /** The instant, parsed once; null when it is none the template may abstract. */
  private static OffsetDateTime realInstant(Matcher m, String text) {
    int year = Integer.parseInt(m.group(1));
    if (year < 1900 || year > LAST_YEAR) {
      return null;
    }
    if (m.group(4) != null) {
      int hours = Integer.parseInt(m.group(4));
      int minutes = Integer.parseInt(m.group(5));
      if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0)) {
        return null;
      }
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The date, parsed once; null when it is none the template may abstract. */
  private static LocalDate realDate(Matcher m, String text) {
    int year = Integer.parseInt(m.group(1));
    if (year < 1900 || year > LAST_YEAR) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static XMLInputFactory xmlFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }
}
