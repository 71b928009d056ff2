package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.platform.FileCooldown;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.platform.UnreadableNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Acknowledgements (and, later, messages) that VANS clients drop into {@code <data-dir>/inbound/}.
 * Each file is read once and deleted; what it did is in the journal or unmatched_acknowledgement.
 * Writers use a temporary name (.tmp/.part) and rename, as for the intake inbox. Content the
 * service cannot read it keeps itself (unmatched_acknowledgement); what throws here is the journal
 * away or a bug, so the file stays where it is and is read again after a back-off (1 s doubling to
 * 5 min, {@link FileCooldown}), with one warning naming the exception's type: never a stack trace
 * every poll, never the file's content, and never a deleted file that was not taken in.
 */
@Component
public class InboundFolderRoute extends RouteBuilder {

  public static final String ROUTE_ID = RouteIds.INBOUND_FOLDER;

  private static final Logger log = LoggerFactory.getLogger(InboundFolderRoute.class);
  private static final String COOLDOWN = "inboundCooldown";
  private static final String READABLE_NAMES = "inboundReadableNames";
  // The header FileCooldown's filter keys on (GenericFile#getAbsoluteFilePath).
  private static final String FILE_ABSOLUTE_PATH = "CamelFileAbsolutePath";

  private final AcknowledgementService acknowledgements;
  private final Path inbound;
  private final long delayMillis;
  private final FileCooldown cooldown;

  public InboundFolderRoute(
      AcknowledgementService acknowledgements,
      GatewayProperties gateway,
      DeliveryProperties delivery,
      Clock clock) {
    this.acknowledgements = acknowledgements;
    this.cooldown = new FileCooldown(clock);
    this.inbound = inboundDir(gateway);
    this.delayMillis = delivery.inboundPoll().toMillis();
  }

  public static Path inboundDir(GatewayProperties gateway) {
    return gateway.dataDir().resolve("inbound").toAbsolutePath();
  }

  @Override
  public void configure() {
    getCamelContext().getRegistry().bind(COOLDOWN, cooldown);
    getCamelContext().getRegistry().bind(READABLE_NAMES, new ReadableNames(inbound));
    // @formatter:off
    from("file:"
            + inbound
            + "?delete=true&autoCreate=true&readLock=none&exclude=RAW(.*\\.(tmp|part|partial)$)"
            + "&sortBy=file:modified&filter=#"
            + COOLDOWN
            + "&pollStrategy=#"
            + READABLE_NAMES
            + "&delay="
            + delayMillis)
        .routeId(ROUTE_ID)
        // Not handled: the file consumer then leaves the file in the folder instead of deleting it.
        .onException(Exception.class)
        .handled(false)
        .logExhausted(false)
        .logStackTrace(false)
        .process(this::waitBeforeRereading)
        .end()
        .process(this::receive)
        .id("receive-acknowledgement")
        .process(exchange -> cooldown.done(path(exchange)));
    // @formatter:on
  }

  // Called directly rather than through Camel's bean binding, which chose the method and evaluated
  // a simple expression for its argument on every file; the body converter reads the file once.
  private void receive(Exchange exchange) throws InvalidPayloadException {
    // A link's target could be any file the gateway may read (data/credentials, a key store): it is
    // never read, and the link (only the link) is deleted like a file taken in.
    if (Files.isSymbolicLink(Path.of(path(exchange)))) {
      log.warn("inbound file is a symbolic link: not followed, the link is removed");
      return;
    }
    acknowledgements.receive(exchange.getMessage().getMandatoryBody(byte[].class), "FILE");
  }

  private void waitBeforeRereading(Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    Duration wait = cooldown.failed(path(exchange));
    // Like intake: the cause's type only; a file name may be whatever the writer chose.
    log.warn(
        "inbound file not taken in, left in the folder cause={} nextTryIn={}s",
        cause == null ? "?" : cause.getClass().getSimpleName(),
        wait.toSeconds());
  }

  /**
   * Before each poll, files whose names the JVM cannot address are renamed readable ({@link
   * UnreadableNames}): otherwise each would be tried and refused for ever, never read.
   */
  static final class ReadableNames extends DefaultPollingConsumerPollStrategy {

    private final Path folder;

    ReadableNames(Path folder) {
      this.folder = folder;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
      UnreadableNames.renameIn(folder);
      return true;
    }
  }

  private static String path(Exchange exchange) {
    return exchange.getMessage().getHeader(FILE_ABSOLUTE_PATH, String.class);
  }
}
