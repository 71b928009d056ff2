package dk.sektorbro.gateway.mapping;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@code reverse:} section may write: the fields of a CareCommunication received from a
 * hospital, named like the canonical fields where they mean the same. {@code sender} is the
 * hospital, {@code recipient} the municipal unit; {@code text} and {@code author.*} belong to the
 * newest text segment (the one this message added).
 */
public enum ReverseField {
  MESSAGE_HEADER_ID("messageHeaderId"),
  THREAD_ID("threadId"),
  EPISODE_OF_CARE_ID("episodeOfCareId"),
  SENT_AT("sentAt"),
  CATEGORY("category"),
  TOPIC("topic"),
  TEXT("text"),
  PRIORITY("priority"),
  CITIZEN_CPR("citizen.cpr"),
  CITIZEN_GIVEN_NAME("citizen.givenName"),
  CITIZEN_FAMILY_NAME("citizen.familyName"),
  SENDER_SOR("sender.sor"),
  SENDER_GLN("sender.gln"),
  SENDER_NAME("sender.name"),
  RECIPIENT_SOR("recipient.sor"),
  RECIPIENT_GLN("recipient.gln"),
  RECIPIENT_NAME("recipient.name"),
  AUTHOR_GIVEN_NAME("author.givenName"),
  AUTHOR_FAMILY_NAME("author.familyName"),
  AUTHOR_ROLE("author.role"),
  AUTHOR_PHONE("author.phone");

  /**
   * The fields of one attachment under {@code reverse.attachments.fields}: a link has a url instead
   * of data.
   */
  public static final Set<String> ATTACHMENT_FIELDS =
      Set.of("title", "contentType", "data", "url", "creation");

  private final String key;

  ReverseField(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static Optional<ReverseField> byKey(String key) {
    return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
  }
}
