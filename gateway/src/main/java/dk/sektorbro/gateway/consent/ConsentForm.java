package dk.sektorbro.gateway.consent;

/**
 * How a consent or refusal was given (Health Act §42: oral or written, recorded in the journal).
 */
public enum ConsentForm implements CodedValue {
  WRITTEN("written", "Written, signed form"),
  VERBAL("verbal", "Verbal, recorded by staff"),
  DIGITAL("digital", "Digital, e.g. signed with MitID");

  private final String code;
  private final String display;

  ConsentForm(String code, String display) {
    this.code = code;
    this.display = display;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public String display() {
    return display;
  }
}
