package dk.sektorbro.gateway.security;

import java.util.Locale;

/**
 * The intake user of one source: {@code intake-<source>}, password from {@code
 * GATEWAY_INTAKE_<SOURCE>_PASSWORD} (upper case, {@code -} as {@code _}) or generated like the
 * built-in users'. It may submit records to its source and do nothing else.
 */
final class SourceUsers {

  /** The role of every source user; reaches the intake endpoint only. */
  static final String ROLE = "SOURCE_INTAKE";

  /** The authority naming the one source a source user may submit to. */
  static final String SOURCE_AUTHORITY_PREFIX = "INTAKE_SOURCE:";

  private static final String PREFIX = "intake-";

  private SourceUsers() {}

  static String userName(String source) {
    return PREFIX + source;
  }

  static String passwordVariable(String source) {
    return "GATEWAY_INTAKE_" + source.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD";
  }

  static String sourceAuthority(String source) {
    return SOURCE_AUTHORITY_PREFIX + source;
  }
}
