package dk.sektorbro.gateway.consent;

import java.util.List;
import java.util.Map;

/**
 * What one outbound message would disclose, as the policy sees it: about whom, to whom (the
 * recipient as addressing resolved it, with what the registry says about it), which information
 * categories, for which purpose, the legal basis the sender claims (if any), and the facts the
 * gateway itself established about the sender and the plan the disclosure belongs to. Codes are
 * kept raw so that an unknown code is a reason to hold, not an exception.
 */
public record Disclosure(
    String citizenCpr,
    Recipient recipient,
    List<String> categories,
    String purpose,
    String messageCategory,
    String legalBasis,
    String legalBasisJustification,
    Sender sender,
    PlanFact plan) {

  public Disclosure {
    categories = categories == null ? List.of() : List.copyOf(categories);
    sender = sender == null ? Sender.unknown("no sender facts were established") : sender;
  }

  /** A disclosure without established sender or plan facts (no legal basis can apply to it). */
  public Disclosure(
      String citizenCpr,
      Recipient recipient,
      List<String> categories,
      String purpose,
      String messageCategory,
      String legalBasis,
      String legalBasisJustification) {
    this(
        citizenCpr,
        recipient,
        categories,
        purpose,
        messageCategory,
        legalBasis,
        legalBasisJustification,
        null,
        null);
  }

  /**
   * The message's recipient: SOR code (as resolved), name, the kind the sender declares (may be
   * null), the sector the registry places the unit in (null if unknown), and the SOR codes of
   * organisations whose consent also covers this unit, each with why (a unit above it in the
   * registry's hierarchy, or a closed unit it succeeded), and ({@code notCoveredBy}) the SOR codes
   * of closed units it succeeded whose consent does not pass to it, each with why.
   */
  public record Recipient(
      String sor,
      String name,
      RecipientKind kind,
      Sector sector,
      Map<String, String> coveredBy,
      Map<String, String> notCoveredBy) {

    public Recipient {
      coveredBy = coveredBy == null ? Map.of() : Map.copyOf(coveredBy);
      notCoveredBy = notCoveredBy == null ? Map.of() : Map.copyOf(notCoveredBy);
    }

    public Recipient(
        String sor, String name, RecipientKind kind, Sector sector, Map<String, String> coveredBy) {
      this(sor, name, kind, sector, coveredBy, null);
    }

    public Recipient(String sor, String name, RecipientKind kind) {
      this(sor, name, kind, null, null);
    }

    /** How a consent naming {@code consentSor} reaches this recipient, or null if it does not. */
    public String coverage(String consentSor) {
      if (consentSor == null) {
        return null;
      }
      if (consentSor.equals(sor)) {
        return "named";
      }
      return coveredBy.get(consentSor);
    }
  }

  /** The sender's kind as the gateway established it (null when it could not), and how. */
  public record Sender(SenderKind kind, String how) {
    public static Sender unknown(String why) {
      return new Sender(null, why);
    }
  }

  /**
   * The plan the disclosure belongs to, as the gateway knows it: the reference the record gives (or
   * the plan the message carries), the plan's kind code when the gateway knows the plan (null when
   * it does not), whether it is about this citizen, and how it was found; then why it is not
   * current ({@code notCurrent}: its newest version says it ended) and why sender or recipient is
   * not a party to it ({@code notParty}), each null when nothing is wrong; {@code carried}: the
   * message is a version of the plan itself, not a message that refers to it.
   */
  public record PlanFact(
      String reference,
      String kind,
      boolean sameCitizen,
      String how,
      String notCurrent,
      String notParty,
      boolean carried) {

    public PlanFact(String reference, String kind, boolean sameCitizen, String how) {
      this(reference, kind, sameCitizen, how, null, null, false);
    }

    public PlanFact(
        String reference,
        String kind,
        boolean sameCitizen,
        String how,
        String notCurrent,
        String notParty) {
      this(reference, kind, sameCitizen, how, notCurrent, notParty, false);
    }
  }
}
