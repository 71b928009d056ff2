package dk.sektorbro.gateway.delivery.transport;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.platform.DurableFiles;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Postbox folders, one per recipient GLN, as VANS clients pick them up. A message appears whole or
 * not at all: written to a hidden temp file, forced to disk, then atomically renamed (and the
 * folder forced, so the rename survives a power cut). The file name is the MessageHeader id, so
 * writing the same message again replaces it rather than adding a second copy. A recipient's route
 * may name its own folder ({@code postbox}), e.g. a VANS client's pick-up folder.
 */
@Component
public class PostboxWriter {

  // Compiled once, not by String.matches on every write.
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern SAFE_EXTENSION = Pattern.compile("[a-z0-9.]{1,16}");

  private final Path outbox;
  private final DeliveryProperties delivery;

  public PostboxWriter(GatewayProperties properties, DeliveryProperties delivery) {
    this.outbox = properties.outboxDir();
    this.delivery = delivery;
  }

  /**
   * The recipient's postbox folder: its configured {@code postbox} or {@code
   * <data-dir>/outbox/<GLN>/}.
   */
  public Path folderFor(String gln) {
    Path configured = delivery.routeFor(gln).postbox();
    return configured != null && delivery.recipients().containsKey(gln)
        ? configured
        : outbox.resolve(gln);
  }

  public Path write(String gln, String messageHeaderId, String extension, String content)
      throws IOException {
    return write(gln, messageHeaderId, extension, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes bytes as they are (an envelope, a signed payload). */
  public Path write(String gln, String messageHeaderId, String extension, byte[] content)
      throws IOException {
    if (!LocationNumbers.isValidGln(gln)
        || !SAFE_ID.matcher(messageHeaderId).matches()
        || !SAFE_EXTENSION.matcher(extension).matches()) {
      throw new IllegalArgumentException(
          "postbox address or message id is not safe as a file name");
    }
    return DurableFiles.writeAtomically(folderFor(gln), messageHeaderId + "." + extension, content);
  }
}
