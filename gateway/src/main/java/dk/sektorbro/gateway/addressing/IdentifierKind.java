package dk.sektorbro.gateway.addressing;

/**
 * What a bare identifier turned out to be (R2). Each kind has its own rule; none is read as
 * another.
 */
public enum IdentifierKind {
  GLN,
  SOR,
  SHAK,
  PROVIDER_NUMBER,
  CVR,
  /** 13 digits whose GS1 check digit is wrong (R3). */
  GLN_BAD_CHECK_DIGIT,
  /** A SOR-shaped code whose Verhoeff check digit is wrong (R3). */
  SOR_BAD_CHECK_DIGIT,
  /**
   * A documented placeholder or an implementation-guide example code, never a real postbox (R3).
   */
  PLACEHOLDER,
  /**
   * Digits other than ASCII 0-9 (Arabic-Indic, full-width, ...): refused, never converted, since
   * the register and the postbox compare ASCII digit strings.
   */
  NON_ASCII_DIGITS,
  /**
   * Only ASCII digits, but neither a SOR code (no namespace 1000016 + partition 00) nor 13 digits
   * long: e.g. a GLN that lost its leading zero where it was stored as a number.
   */
  NUMBER_NOT_SOR_OR_GLN,
  UNRECOGNISED
}
