package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.careplan.SamplePlans;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the gateway itself sends, checked with HAPI's stock validator as the oracle: every golden
 * CareCommunication in test-messages/&#42;/expected, every care-plan document kind (on the
 * gateway's sektorbro-careplan profile) and the acknowledgement the gateway answers each golden
 * message with, as JSON and XML. Each has no error against its official chain, the reference
 * validator gives exactly HAPI's issues, and the fast validator gives the same verdict twice: for
 * the message HAPI answered, and, from its memory, for the same message with other ids.
 */
// HAPI with the official chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class OwnMessagesOracleTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  static Stream<Arguments> messages() throws IOException {
    List<Arguments> all = new ArrayList<>();
    List<Path> golden;
    try (Stream<Path> files = Files.walk(GatewayIntegrationTest.TEST_MESSAGES)) {
      golden =
          files
              // <source>/expected/, not <source>/invalid/expected/ (the mapping's refusals)
              .filter(
                  f ->
                      GatewayIntegrationTest.TEST_MESSAGES
                          .relativize(f)
                          .toString()
                          .matches("[^/]+/expected/[^/]+"))
              .filter(f -> f.toString().endsWith(".json"))
              .sorted()
              .toList();
    }
    assertThat(golden).hasSizeGreaterThanOrEqualTo(15);
    for (Path file : golden) {
      String name = GatewayIntegrationTest.TEST_MESSAGES.relativize(file).toString();
      Bundle bundle = (Bundle) FHIR.newJsonParser().parseResource(Files.readString(file));
      add(all, ChainDefinition.CARE_COMMUNICATION, name, bundle);
      Bundle ack =
          AcknowledgementBuilder.build(
              bundle, "ok", List.of(), new Date(), "https://sektorbro.test/fhir");
      add(all, ChainDefinition.ACKNOWLEDGEMENT, "acknowledgement of " + name, ack);
    }
    for (String sample : SamplePlans.oneOfEachKind()) {
      Bundle document = SamplePlans.BUILDER.build(SamplePlans.plan(sample), null).bundle();
      add(all, ChainDefinition.CARE_PLAN_DOCUMENT, "plan document of " + sample, document);
    }
    return all.stream();
  }

  private static void add(List<Arguments> all, String type, String name, Bundle bundle) {
    all.add(
        Arguments.of(type, name + " as JSON", FHIR.newJsonParser().encodeResourceToString(bundle)));
    all.add(
        Arguments.of(type, name + " as XML", FHIR.newXmlParser().encodeResourceToString(bundle)));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("messages")
  void ownMessage_isValid_andEveryModeGivesHapisVerdict(String type, String name, String message) {
    ConformanceChain chain = MedComChains.get().forType(type);
    assertThat(chain).isNotSameAs(MedComChains.get().fallback());

    ValidationReport stock = chain.validateStock(message);
    assertThat(stock.errors()).as(name).isEmpty();
    assertThat(chain.validate(message).issues()).as(name).containsExactlyElementsOf(stock.issues());

    FastChain fast = new FastChain(chain, 100);
    FastChain.Result first = fast.check(message, m -> stock);
    assertThat(first.remembered()).isFalse();
    assertThat(first.report().issues()).as(name).containsExactlyElementsOf(stock.issues());
    String otherIds = otherUuids(message);
    assertThat(otherIds).isNotEqualTo(message);
    FastChain.Result second = fast.check(otherIds);
    assertThat(second.report().issues())
        .as(name + " with other ids")
        .containsExactlyElementsOf(chain.validateStock(otherIds).issues());
    assertThat(second.remembered()).as(name + " with other ids, from memory").isTrue();
  }

  /** The message with every UUID replaced by another random (version 4) one, consistently. */
  private static String otherUuids(String message) {
    Map<String, String> replaced = new HashMap<>();
    Matcher m = UUID_TEXT.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, replaced.computeIfAbsent(m.group(), u -> UUID.randomUUID().toString()));
    }
    m.appendTail(out);
    return out.toString();
  }
}
