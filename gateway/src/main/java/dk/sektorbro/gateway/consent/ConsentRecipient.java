package dk.sektorbro.gateway.consent;

/**
 * One recipient a consent names. {@code sor} identifies the unit and is what is matched when set;
 * a relative is matched by name; the citizen's own GP by the kind the record declares.
 * {@code municipality} and {@code relation} are descriptive (as written on the form).
 */
public record ConsentRecipient(RecipientKind kind, String sor, String name, String relation, String municipality) {

  public static ConsentRecipient organisation(String sor, String name) {
    return new ConsentRecipient(RecipientKind.ORGANISATION, sor, name, null, null);
  }

  public static ConsentRecipient ofKind(RecipientKind kind) {
    return new ConsentRecipient(kind, null, null, null, null);
  }

  public static ConsentRecipient relative(String name, String relation) {
    return new ConsentRecipient(RecipientKind.RELATIVE, null, name, relation, null);
  }

  /** Does this recipient denote the one the message goes to? Another unit of the same hospital does not. */
  public boolean matches(Disclosure.Recipient to) {
    if (sor != null) {
      return sor.equals(to.sor());
    }
    if (kind == RecipientKind.RELATIVE) {
      return to.kind() == RecipientKind.RELATIVE && name != null && name.equalsIgnoreCase(to.name());
    }
    // Only kinds that identify a single recipient per citizen can be matched without a SOR code.
    return !kind.sorRequired() && kind == to.kind();
  }
}
