package dk.sektorbro.gateway.medcom;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Every id one CareCommunication needs, generated once at translation and kept in the journal, so
 * that a message rebuilt after a crash or resent keeps its MessageHeader id.
 */
public record MessageIds(
    String bundleId,
    String messageHeaderId,
    String communicationId,
    String threadId,
    String patientId,
    String senderId,
    String recipientId,
    String practitionerId,
    String practitionerRoleId,
    String provenanceId,
    String encounterId,
    String textSegmentId,
    List<String> attachmentSegmentIds) {

  public static MessageIds generate(Supplier<UUID> uuids, int attachments) {
    return new MessageIds(
        next(uuids),
        next(uuids),
        next(uuids),
        next(uuids),
        next(uuids),
        next(uuids),
        next(uuids),
        next(uuids),
        next(uuids),
        next(uuids),
        next(uuids),
        next(uuids),
        IntStream.range(0, attachments).mapToObj(i -> next(uuids)).toList());
  }

  private static String next(Supplier<UUID> uuids) {
    return uuids.get().toString();
  }
}
