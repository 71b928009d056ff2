package dk.sektorbro.gateway.inbound;

import java.util.regex.Pattern;

/**
 * The hand-over file name of a message: its MessageHeader id, safe on every file system for any
 * legal FHIR id ({@code [A-Za-z0-9\-\.]{1,64}}). Dots become underscores (an id may be "..", start
 * with a dot and so be a hidden file that readers skip, or end in one, which Windows drops); FHIR
 * ids never contain an underscore, so two ids never get the same name. An id that is not a legal
 * FHIR id is refused, for good: every resend would fail the same way.
 */
public final class HandoverFileNames {

  private static final Pattern LEGAL_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private HandoverFileNames() {}

  /** A legal FHIR id: {@code [A-Za-z0-9\-\.]{1,64}}. */
  public static boolean legal(String id) {
    return id != null && LEGAL_ID.matcher(id).matches();
  }

  public static String of(String messageHeaderId) {
    if (!legal(messageHeaderId)) {
      throw new HandoverRefused("MSG_INVALID_ID", "MessageHeader.id is not a legal FHIR id");
    }
    return messageHeaderId.replace('.', '_');
  }
}
