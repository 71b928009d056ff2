package dk.sektorbro.gateway.testscript;

import java.util.List;

/**
 * What one MedCom TestScript gave: PASS, FAIL with every failing assert, or NOT_APPLICABLE with a
 * named reason. {@code notes} say how the script was read where MedCom's text needed a correction
 * (e.g. a variable whose sourceId names no fixture), so nothing is silently bent; {@code
 * failedAsserts} are the descriptions of the failing asserts.
 */
public record ScriptResult(
    String scriptId,
    Status status,
    String reason,
    int assertsPassed,
    int serverSide,
    List<String> notes,
    List<String> failedAsserts) {

  public enum Status {
    PASS,
    FAIL,
    NOT_APPLICABLE
  }

  public ScriptResult {
    notes = List.copyOf(notes);
    failedAsserts = List.copyOf(failedAsserts);
  }

  static ScriptResult notApplicable(String scriptId, String reason) {
    return new ScriptResult(scriptId, Status.NOT_APPLICABLE, reason, 0, 0, List.of(), List.of());
  }
}
