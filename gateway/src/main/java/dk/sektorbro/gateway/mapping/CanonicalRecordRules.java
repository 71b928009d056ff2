package dk.sektorbro.gateway.mapping;

import dk.sektorbro.gateway.mapping.MappingDefinition.FieldRule;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.record.CanonicalRecord.Attachment;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import dk.sektorbro.gateway.record.Cpr;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Rules every canonical record must meet before it can become a MedCom CareCommunication,
 * whatever its source. Each issue names the field and the rule; values are never echoed.
 */
public final class CanonicalRecordRules {

  public List<MappingIssue> check(CanonicalRecord r, MappingDefinition mapping) {
    Checker c = new Checker(mapping, new ArrayList<>());
    if (c.required("citizen.cpr", r.citizen().cpr()) && !Cpr.isValid(r.citizen().cpr())) {
      c.issue("citizen.cpr", "cpr", "not a valid CPR number (10 digits, the first 6 a valid date)");
    }
    c.required("citizen.familyName", r.citizen().familyName());
    checkOrganisation(c, "sender", r.sender(), true);
    // The recipient's identifiers are not format-checked here: the addressing gate normalises,
    // classifies and checks them against the SOR registry (a SHAK code or "0088:<GLN>" is fixable,
    // a name alone yields suggestions), and journals why.
    if (r.recipient().sor() == null && r.recipient().gln() == null && r.recipient().name() == null) {
      c.issue("recipient", "recipient-identified",
          "the recipient needs a SOR code, an EAN/GLN location number or at least a name");
    }
    c.required("author.familyName", r.author().familyName());
    c.required("author.phone", r.author().phone());
    c.required("text", r.text());
    checkCategory(c, r);
    checkAttachments(c, r.attachments());
    return c.issues;
  }

  private static void checkOrganisation(Checker c, String name, Organisation o, boolean sorAndGlnRequired) {
    if (sorAndGlnRequired) {
      c.required(name + ".sor", o.sor());
      c.required(name + ".gln", o.gln());
    }
    if (o.sor() != null && !LocationNumbers.isWellFormedSor(o.sor())) {
      c.issue(name + ".sor", "sor-format", "a SOR code is 11 to 18 digits");
    }
    if (o.gln() != null && !LocationNumbers.isValidGln(o.gln())) {
      c.issue(name + ".gln", "gln-check-digit",
          "an EAN/GLN location number is 13 digits with a valid GS1 check digit");
    }
  }

  private static void checkCategory(Checker c, CanonicalRecord r) {
    if (c.required("category", r.category()) && !MedComCodes.CATEGORIES.containsKey(r.category())) {
      c.issue("category", "medcom-category", "not one of the 18 MedCom CareCommunication categories");
    }
    if (MedComCodes.CATEGORY_OTHER.equals(r.category()) && r.topic() == null) {
      c.issue("topic", "topic-when-other", "a topic is required when the category is 'other'");
    }
    if (r.priority() != null) {
      if (!MedComCodes.PRIORITIES.contains(r.priority())) {
        c.issue("priority", "priority-code", "priority must be 'routine' or 'asap'");
      } else if (!MedComCodes.CATEGORY_REGARDING_REFERRAL.equals(r.category())) {
        c.issue("priority", "priority-only-referral",
            "priority is only allowed with category 'regarding-referral'");
      }
    }
  }

  private static void checkAttachments(Checker c, List<Attachment> attachments) {
    for (int i = 0; i < attachments.size(); i++) {
      Attachment a = attachments.get(i);
      String prefix = "attachments[" + i + "].";
      c.required(prefix + "title", a.title());
      if (c.required(prefix + "contentType", a.contentType())
          && !MedComCodes.ATTACHMENT_TYPES.contains(a.contentType())) {
        c.issue(prefix + "contentType", "attachment-type",
            "allowed types are " + String.join(", ", MedComCodes.ATTACHMENT_TYPES.stream().sorted().toList()));
      }
      if (c.required(prefix + "data", a.data()) && !isBase64(a.data())) {
        c.issue(prefix + "data", "base64", "attachment data must be base64");
      }
    }
  }

  private static boolean isBase64(String data) {
    try {
      Base64.getMimeDecoder().decode(data);
      return data.strip().matches("[A-Za-z0-9+/=\\s]+");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private record Checker(MappingDefinition mapping, List<MappingIssue> issues) {

    boolean required(String field, String value) {
      if (value == null) {
        issue(field, "required", "a value is required");
        return false;
      }
      return true;
    }

    void issue(String field, String rule, String message) {
      FieldRule fieldRule = mapping.fields().get(field);
      String origin = fieldRule == null ? null : fieldRule.origin();
      issues.add(new MappingIssue(field, origin, rule, message));
    }
  }
}
