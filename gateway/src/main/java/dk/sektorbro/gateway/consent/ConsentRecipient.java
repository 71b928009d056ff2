package dk.sektorbro.gateway.consent;

/**
 * One recipient a consent names. {@code sor} identifies the unit and is what is matched when set; a
 * relative is matched by name; the citizen's own GP by the kind the record declares. {@code
 * municipality} and {@code relation} are descriptive (as written on the form).
 */
public record ConsentRecipient(
    RecipientKind kind, String sor, String name, String relation, String municipality) {

  public static ConsentRecipient organisation(String sor, String name) {
    return new ConsentRecipient(RecipientKind.ORGANISATION, sor, name, null, null);
  }

  public static ConsentRecipient ofKind(RecipientKind kind) {
    return new ConsentRecipient(kind, null, null, null, null);
  }

  public static ConsentRecipient relative(String name, String relation) {
    return new ConsentRecipient(RecipientKind.RELATIVE, null, name, relation, null);
  }

  /**
   * How this recipient of a consent reaches the one the message goes to, or null if it does not. A
   * SOR code reaches that unit, the units below it in the registry's hierarchy and the units that
   * succeeded it (as the decision's recipient facts say); another unit of the same hospital is not
   * reached. A relative is matched by name. "Own GP" must name the practice's SOR code: a consent
   * to "whichever practice the sender calls own GP" would cover any practice.
   */
  public String covers(Disclosure.Recipient to) {
    // A relative is a person, matched by name only: a SOR code beside it (never accepted since the
    // eighteenth session, rule relative-no-sor) must not make "my daughter" a ward.
    if (sor != null && kind != RecipientKind.RELATIVE) {
      return to.coverage(sor);
    }
    if (kind == RecipientKind.RELATIVE) {
      return to.kind() == RecipientKind.RELATIVE && name != null && name.equalsIgnoreCase(to.name())
          ? "named"
          : null;
    }
    return null;
  }

  /**
   * Whether a refusal naming this recipient stops a message to {@code to}. Refusals are read
   * broadly: "no letters to my GP" without a SOR code stops every message declared to own GP or to
   * a unit the registry places in general practice, and a refusal naming a closed unit stops its
   * successor also under another owner.
   */
  public boolean refuses(Disclosure.Recipient to) {
    if (covers(to) != null || (sor != null && to.coverage(sor) != null)) {
      return true;
    }
    // A consent does not pass to a successor of another owner; a refusal, read broadly, does.
    if (sor != null && to.notCoveredBy().containsKey(sor)) {
      return true;
    }
    // "No letters to my GP" names no practice: it stops what the record calls own GP, and what the
    // registry places in general practice whatever the record calls it (a practice declared a
    // "practising specialist", or of no stated kind): the gateway cannot tell which practice is the
    // citizen's own, and the stated kind is the sender's to choose.
    return sor == null
        && kind == RecipientKind.OWN_GP
        && (to.kind() == RecipientKind.OWN_GP || to.sector() == Sector.PRACTICE);
  }
}
