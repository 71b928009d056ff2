package dk.sektorbro.gateway.consent;

import java.util.Arrays;
import java.util.Optional;

/**
 * A value of one of the gateway's consent code lists; the code is what APIs, FHIR and the database
 * carry.
 */
public interface CodedValue {

  String code();

  String display();

  /** The constant of {@code type} with this code; empty for unknown or null codes. */
  static <E extends Enum<E> & CodedValue> Optional<E> byCode(Class<E> type, String code) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.code().equals(code)).findFirst();
  }
}
