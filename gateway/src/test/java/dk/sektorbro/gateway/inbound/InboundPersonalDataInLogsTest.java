package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Personal data of received messages never in the log or the metrics: a hospital's
 * CareCommunication about a citizen of the test's own, received over $process-message and through
 * the inbound folder, valid, and with a code the official validator refuses (its message names the
 * wrong value, here the citizen's family name).
 */
@ExtendWith(OutputCaptureExtension.class)
class InboundPersonalDataInLogsTest extends MedComIntegrationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void receivedMessages_leaveNoCprNameOrText_inTheLogOrMetrics(CapturedOutput log)
      throws Exception {
    String marker = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String cpr = "0101701" + (100 + (int) (Math.random() * 800));
    String familyName = "Zorbasen" + marker;
    String staffName = "Wimbelholm" + marker;
    String text = "Borgeren fortalte om hemmelighed " + marker;
    List<String> secrets = List.of(cpr, familyName, staffName, text);

    GatewayClient intake = intakeClient();
    GatewayClient.Response valid =
        intake.post(
            "/fhir/$process-message",
            "application/fhir+json",
            message(cpr, familyName, staffName, text, false));
    GatewayClient.Response invalid =
        intake.post(
            "/fhir/$process-message",
            "application/fhir+json",
            message(cpr, familyName, staffName, text, true));
    assertThat(valid.status()).as(valid.body()).isEqualTo(200);
    assertThat(invalid.status()).as(invalid.body()).isIn(200, 422);
    Path inbound = Files.createDirectories(dataDir().resolve("inbound"));
    String name = "msg-" + marker + ".json";
    Files.write(inbound.resolve(name + ".part"), message(cpr, familyName, staffName, text, false));
    Files.move(inbound.resolve(name + ".part"), inbound.resolve(name));
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.notExists(inbound.resolve(name)));

    String metrics = adminClient().get("/actuator/prometheus").body();
    List<String> leaks = new ArrayList<>();
    for (String secret : secrets) {
      if (log.getAll().contains(secret)) {
        leaks.add("log: " + secret);
      }
      if (metrics.contains(secret)) {
        leaks.add("metrics: " + secret);
      }
    }
    assertThat(leaks).as(invalid.body()).isEmpty();
  }

  private static byte[] message(
      String cpr, String familyName, String staffName, String text, boolean wrongCode) {
    String json =
        FHIR.newJsonParser()
            .encodeResourceToString(
                HospitalMessages.bundle(
                    HospitalMessages.record(
                        cpr, HospitalMessages.SOCIAL_PSYCHIATRY, "psychiatry-social-disability"),
                    Clock.systemUTC()))
            .replace("Prøvesen", familyName)
            .replace("Lund", staffName)
            .replace("Borgeren udskrives i morgen kl. 10.", text);
    if (wrongCode) {
      json = json.replace("\"psychiatry-social-disability\"", "\"" + familyName + "\"");
    }
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
