package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.mapping.MappingIssue;
import java.util.List;

/**
 * What intake did with an item: journaled under {@code id} in {@code state}. {@code outcome} says
 * why it was refused, if it was, so REST can answer with the right status.
 */
public record IntakeResult(
    String id,
    MessageState state,
    boolean duplicate,
    Outcome outcome,
    String reason,
    List<MappingIssue> issues) {

  public enum Outcome {
    ACCEPTED,
    UNKNOWN_SOURCE,
    /** The REST client's user may not submit to this source ({@link SubmitPermission}). */
    FORBIDDEN,
    UNSUPPORTED_MEDIA_TYPE,
    TOO_LARGE,
    MALFORMED,
    INVALID,
    /**
     * Our failure, not the content's: kept aside (error folder) and journaled FAILED with where.
     */
    NOT_JOURNALED
  }

  public boolean accepted() {
    return outcome == Outcome.ACCEPTED;
  }
}
