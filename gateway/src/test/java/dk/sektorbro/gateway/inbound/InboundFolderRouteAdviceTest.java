package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.support.RouteTestProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link InboundFolderRoute} on a real folder: a file the service takes in is deleted; a
 * file it cannot take in (journal away, a bug) stays, and is not read again on every poll (issue
 * 16: the inbound folder retried a poison file every 500 ms with a stack trace).
 */
class InboundFolderRouteAdviceTest {

  @TempDir Path data;
  private final DefaultCamelContext camel = new DefaultCamelContext();
  private final AtomicInteger receives = new AtomicInteger();

  @AfterEach
  void stop() {
    camel.stop();
  }

  @Test
  void fileTakenIn_isDeleted() throws Exception {
    start(false);
    Path file = drop("ack-1.xml");

    await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(file));
    assertThat(receives).hasValue(1);
  }

  @Test
  void fileThatCannotBeTakenIn_staysInTheFolder_andWaitsBeforeTheNextTry() throws Exception {
    start(true);
    Path file = drop("ack-2.xml");

    await()
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(5))
        .until(() -> receives.get() >= 1);
    // At a 100 ms poll it would be read about five times in this window without the back-off
    // (the first wait is 1 s, so the window stays well inside it).
    await()
        .pollInterval(Duration.ofMillis(20))
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> true);
    assertThat(receives).hasValue(1);
    assertThat(file).exists().hasContent("<ack/>");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(receives.get()).as("read again after 1 s").isEqualTo(2));
    assertThat(file).exists();
  }

  // A name not valid in the JVM's file-name encoding (a Latin-1 byte; or any non-ASCII name under
  // LANG unset) names no file as Java decodes it: it was retried for ever, never read.
  @Test
  void fileWhoseNameIsNotInThePlatformEncoding_isRenamedReadable_andTakenIn() throws Exception {
    Path folder = Files.createDirectories(InboundFolderRoute.inboundDir(gateway()));
    Process sh =
        new ProcessBuilder(
                "sh",
                "-c",
                "printf '<ack/>' > \"$0/$(printf 'kvittering-\\346').xml\"",
                folder.toString())
            .inheritIO()
            .start();
    assertThat(sh.waitFor()).isZero();
    start(false);

    await().atMost(Duration.ofSeconds(5)).until(() -> receives.get() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.list(folder).findAny().isEmpty());
  }

  // Its target could be any file the gateway may read: never read through a link, which is removed.
  @Test
  void symbolicLink_isNotFollowed_andIsRemoved() throws Exception {
    Path folder = Files.createDirectories(InboundFolderRoute.inboundDir(gateway()));
    Path secret = Files.writeString(data.resolve("secret.txt"), "geheim");
    Path link =
        Files.move(
            Files.createSymbolicLink(folder.resolve("ack-3.xml.tmp"), secret),
            folder.resolve("ack-3.xml"));
    start(false);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertThat(receives).hasValue(0);
    assertThat(secret).hasContent("geheim");
  }

  private void start(boolean failing) throws Exception {
    AcknowledgementService service =
        new AcknowledgementService(null, null, null, null, null, null, null, null, null, null) {
          @Override
          public AckOutcome receive(byte[] raw, String channel) {
            receives.incrementAndGet();
            if (failing) {
              throw new IllegalStateException("journal away");
            }
            return null;
          }
        };
    camel.addRoutes(new InboundFolderRoute(service, gateway(), delivery(), Clock.systemUTC()));
    camel.start();
  }

  private Path drop(String name) throws Exception {
    Path folder = InboundFolderRoute.inboundDir(gateway());
    Files.createDirectories(folder);
    Path temp = folder.resolve(name + ".tmp");
    Files.writeString(temp, "<ack/>", StandardCharsets.UTF_8);
    return Files.move(temp, folder.resolve(name));
  }

  private GatewayProperties gateway() {
    return RouteTestProperties.gateway(
        data, data.resolve("mappings"), Duration.ofMillis(100), Duration.ofMillis(200));
  }

  private static DeliveryProperties delivery() {
    return new DeliveryProperties(
        null, Map.of(), null, null, null, null, 3, Duration.ofSeconds(1), Duration.ofMillis(100));
  }
}
