package dk.sektorbro.gateway.testscript;

import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;

/**
 * The certifier's rules on MedCom's own CareCommunication 5.0.2 thread (new, reply, reply,
 * forward), and each rule seen failing on a message broken for it.
 */
class CertifierRulesTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final TestScriptLibrary LIBRARY =
      new TestScriptLibrary(GatewayIntegrationTest.MEDCOM_PACKAGES.getParent());
  private static final String PACKAGE = "medcom.fhir.dk.carecommunication-5.0.2.tgz";

  private static final Bundle NEW = example("add5e7e2-0c0f-4a4a-bfff-f6f984fa7e3c");
  private static final Bundle REPLY = example("b56549f7-ed10-422d-8088-f7222b686e46");
  private static final Bundle SECOND_REPLY = example("3dcb5618-3055-406a-9034-1b8fc8de0fea");
  private static final Bundle FORWARD = example("c0426e3e-978f-46e8-a366-a30f27854b0a");

  @Test
  void medComsOwnThread_meetsTheRules_butItsForwardsSourceEndpoint() {
    assertThat(CertifierRules.check(NEW, "new-message", null)).isEmpty();
    assertThat(CertifierRules.check(REPLY, "reply-message", NEW)).isEmpty();
    assertThat(CertifierRules.check(SECOND_REPLY, "reply-message", REPLY)).isEmpty();
    // MedCom's own forward keeps the previous sender's source.endpoint (#id=265161000016000) while
    // its sender is 953741000016009: the forward-message TestScript's "sender SOR number
    // (source.endpoint) is different from the previous message" fails on it too.
    assertThat(CertifierRules.check(FORWARD, "forward-message", SECOND_REPLY))
        .containsExactly("MessageHeader.source.endpoint is the previous sender's");
  }

  @Test
  void aReplyMarkedAsANewMessage_orNamingNoPreviousMessage_breaksTheRules() {
    assertBreaks(
        REPLY,
        "reply-message",
        NEW,
        b -> own(b).getActivity().getCodingFirstRep().setCode("new-message"),
        "activity is new-message, expected reply-message");
    assertBreaks(
        REPLY,
        "reply-message",
        NEW,
        b ->
            own(b)
                .getEntity()
                .removeIf(e -> e.getRole() == Provenance.ProvenanceEntityRole.REVISION),
        "expected the previous MessageHeader");
    assertBreaks(
        REPLY,
        "reply-message",
        NEW,
        b -> {
          Provenance mine = own(b);
          b.getEntry().removeIf(e -> e.getResource() instanceof Provenance p && p != mine);
        },
        "expected the previous message's 1 plus one");
  }

  @Test
  void threadIds_keptOnReply_newOnForward() {
    assertBreaks(
        REPLY,
        "reply-message",
        NEW,
        b ->
            resources(b, Communication.class)
                .get(0)
                .getIdentifierFirstRep()
                .setValue("urn:uuid:0b4b2a8e-2a7f-4c5e-9d2a-3f1e6c7d8e9f"),
        "a reply changed the thread id");
    Bundle sameThread = SECOND_REPLY.copy();
    assertBreaks(
        FORWARD,
        "forward-message",
        sameThread,
        b ->
            resources(b, Communication.class)
                .get(0)
                .setIdentifier(resources(sameThread, Communication.class).get(0).getIdentifier()),
        "a forward kept the thread id");
    String previousSender =
        resources(NEW, org.hl7.fhir.r4.model.Organization.class).stream()
            .filter(o -> header(NEW).getSender().getReference().endsWith(o.getIdPart()))
            .flatMap(o -> o.getIdentifier().stream())
            .filter(i -> "urn:oid:1.2.208.176.1.1".equals(i.getSystem()))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertBreaks(
        REPLY,
        "reply-message",
        NEW,
        b -> header(b).getSource().setEndpoint("https://sor2.sum.dsdn.dk/#id=" + previousSender),
        "source.endpoint is the previous sender's");
  }

  @Test
  void destinations_onePrimary_noCarbonCopy_withSorAndEan() {
    assertBreaks(
        NEW,
        "new-message",
        null,
        b -> {
          MessageHeader h = header(b);
          MessageHeader.MessageDestinationComponent cc = h.getDestinationFirstRep().copy();
          cc.getExtensionFirstRep().setValue(new Coding().setCode("cc"));
          h.addDestination(cc);
        },
        "2 destinations, expected one primary");
    assertBreaks(
        NEW,
        "new-message",
        null,
        b -> header(b).getDestinationFirstRep().getExtension().clear(),
        "destination use is null, expected primary");
    assertBreaks(
        NEW,
        "new-message",
        null,
        b ->
            resources(b, org.hl7.fhir.r4.model.Organization.class)
                .forEach(
                    o ->
                        o.getIdentifier()
                            .removeIf(i -> "https://www.gs1.org/gln".equals(i.getSystem()))),
        "sender organisation without an EAN-ID");
  }

  @Test
  void timestampsWithoutZone_andProfilesOfAnotherVersion_breakTheRules() {
    assertBreaks(
        NEW,
        "new-message",
        null,
        b -> own(b).setOccurred(new DateTimeType("2024-05-01T12:00:00")),
        "occurred[x] 2024-05-01T12:00:00 has no zone");
    assertBreaks(
        NEW,
        "new-message",
        null,
        b ->
            header(b)
                .getMeta()
                .getProfile()
                .get(0)
                .setValue(
                    "http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-messageHeader|4.0.1"),
        "MessageHeader.meta.profile");
  }

  private static void assertBreaks(
      Bundle message, String activity, Bundle previous, Consumer<Bundle> mutation, String text) {
    Bundle broken = message.copy();
    mutation.accept(broken);
    assertThat(CertifierRules.check(broken, activity, previous))
        .anySatisfy(v -> assertThat(v).contains(text));
  }

  private static MessageHeader header(Bundle b) {
    return (MessageHeader) b.getEntryFirstRep().getResource();
  }

  /** The Provenance of this message (its target is this MessageHeader). */
  private static Provenance own(Bundle b) {
    String id = header(b).getIdPart();
    return resources(b, Provenance.class).stream()
        .filter(p -> p.getTargetFirstRep().getReference().endsWith(id))
        .findFirst()
        .orElseThrow();
  }

  private static Bundle example(String id) {
    return FHIR.newJsonParser()
        .parseResource(Bundle.class, LIBRARY.read(PACKAGE, "example/Bundle-" + id + ".json"));
  }
}
