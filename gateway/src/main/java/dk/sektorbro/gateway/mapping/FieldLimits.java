package dk.sektorbro.gateway.mapping;

import dk.sektorbro.gateway.mapping.MappingDefinition.FieldRule;
import java.util.regex.Pattern;

/**
 * How long a value of each canonical field may be, in characters, unless its mapping rule says
 * {@code maxLength}. The limits keep one record from costing unbounded memory later (the FHIR
 * message, its narrative and the validator each hold the text again) and keep every value inside
 * the journal column it goes to. FHIR itself caps a string at 1 MB; free text stays far below.
 */
public final class FieldLimits {

  /**
   * Source record ids, episode ids, SOR codes and GLNs: the journal keeps record ids in 200
   * characters.
   */
  public static final int ID = 100;

  /** Names of people and units, roles, topics, attachment titles. */
  public static final int NAME = 200;

  /** Codes before and after the value maps, phone numbers, dates. */
  public static final int CODE = 100;

  /** Free text (the message, a legal-basis justification, plan texts): about 30 printed pages. */
  public static final int FREE_TEXT = 100_000;

  /**
   * Attachment data, base64 characters, for all attachments of one record together: 1 MiB, about
   * 768 KB of files. Sized for the 512 MB heap the gateway is tested with: the message is held
   * several times over while it is built, validated and delivered (docs/limits.md has
   * measurements). A mapping may raise it ({@code maxLength} on {@code attachments.fields.data})
   * with a larger heap.
   */
  public static final int ATTACHMENT_DATA = 1024 * 1024;

  // Compiled once: byName runs for every field of every record (String.replaceAll compiled the
  // pattern on each call, a fiftieth of intake's CPU; issue 14).
  private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

  private FieldLimits() {}

  /**
   * The limit for a field (names as in issues: {@code text}, {@code attachments[0].data}, {@code
   * plan.goal}).
   */
  public static int of(String field, FieldRule rule) {
    if (rule != null && rule.maxLength() != null) {
      return rule.maxLength();
    }
    return byName(field);
  }

  /** The default limit of a canonical field by its name. */
  public static int byName(String field) {
    String key = field.indexOf('[') < 0 ? field : INDEX.matcher(field).replaceAll("");
    if (key.equals("recordId")
        || key.equals("episodeOfCareId")
        || key.endsWith(".sor")
        || key.endsWith(".gln")) {
      return ID;
    }
    if (key.endsWith("Name")
        || key.endsWith(".name")
        || key.equals("topic")
        || key.equals("author.role")
        || key.endsWith(".title")) {
      return NAME;
    }
    if (key.equals("attachments.data")) {
      return ATTACHMENT_DATA;
    }
    if (key.equals("category")
        || key.equals("priority")
        || key.equals("purpose")
        || key.equals("legalBasis")
        || key.equals("recipientKind")
        || key.equals("informationCategories")
        || key.equals("author.phone")
        || key.equals("sentAt")
        || key.endsWith(".contentType")
        || key.endsWith(".creation")
        || key.equals("plan.kind")
        || key.equals("citizen.cpr")) {
      return CODE;
    }
    return FREE_TEXT;
  }
}
