package dk.sektorbro.gateway.medcom;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.threads.ThreadJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Narrative.NarrativeStatus;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link FhirMessageCodec#encodeBuilt} skips HAPI's search for resources to contain; for every
 * message the gateway builds (each valid sample, and the replies and forwards of the send
 * scenarios, continued from MedCom's own fixtures as parsed by HAPI) its bytes are those of {@link
 * FhirMessageCodec#encode}, in both formats. In XML encodeBuilt also writes the narratives itself
 * ({@link XmlNarratives}), in JSON it composes their markup ({@link JsonNarratives}); generated
 * hostile narratives hold those bytes to HAPI's.
 */
class FhirMessageCodecTest {

  private static final FhirMessageCodec CODEC = new FhirMessageCodec(FhirContext.forR4Cached());
  private static final Path RECORDS =
      GatewayIntegrationTest.TEST_MESSAGES.resolve("testscripts/records");

  @ParameterizedTest
  @EnumSource(FhirFormat.class)
  void everySample_encodesToTheSameBytes(FhirFormat format) {
    List<Path> samples = SampleMessages.validSamples();
    assertThat(samples).hasSizeGreaterThan(10);
    for (Path sample : samples) {
      Bundle bundle = SampleMessages.bundle(SampleMessages.record(sample));
      assertThat(CODEC.encodeBuilt(bundle, format))
          .as("%s, %s", sample.getFileName(), format)
          .isEqualTo(CODEC.encode(bundle, format));
    }
  }

  @ParameterizedTest
  @EnumSource(FhirFormat.class)
  void repliesAndForwards_encodeToTheSameBytes(FhirFormat format) {
    List<String> continued = new ArrayList<>();
    for (String[] scenario : THREADS) {
      CanonicalRecord record =
          SampleMessages.record(RECORDS.resolve(scenario[1]), "nordby-socialpsykiatri");
      Bundle earlier = SendScripts.fixture(scenario[0]);
      Bundle sent =
          CareCommunicationThreads.continueThread(
              SampleMessages.bundle(record),
              List.of(earlier),
              ThreadJournal.kind(record.thread()),
              record.thread().segments());
      assertThat(CODEC.encodeBuilt(sent, format))
          .as("%s, %s", scenario[1], format)
          .isEqualTo(CODEC.encode(sent, format));
      continued.add(scenario[1]);
    }
    assertThat(continued).hasSize(THREADS.length);
  }

  /**
   * The narratives the builder makes are all written by XmlNarratives and composed by
   * JsonNarratives, none left to HAPI.
   */
  @Test
  void theBuildersNarratives_areAllWrittenWithoutHapisRoundTrip() {
    int narratives = 0;
    for (Path sample : SampleMessages.validSamples()) {
      for (Bundle.BundleEntryComponent entry :
          SampleMessages.bundle(SampleMessages.record(sample)).getEntry()) {
        DomainResource resource = (DomainResource) entry.getResource();
        if (resource.hasText()) {
          assertThat(XmlNarratives.ours(resource.getText())).as("%s", sample).isTrue();
          assertThat(JsonNarratives.composable(resource.getText().getDiv())).isTrue();
          narratives++;
        }
      }
    }
    assertThat(narratives).isGreaterThan(100);
  }

  /**
   * A property-style loop: narratives made by {@link Narrative} from random hostile strings, and
   * random XHTML trees (attributes, nesting, pre, comments, prefixed names, carriage returns,
   * control characters, lone surrogates, long runs of whitespace), put on a sample message: the
   * bytes of encodeBuilt are HAPI's, or both fail. Seeded, so a failure can be replayed.
   */
  @ParameterizedTest
  @EnumSource(FhirFormat.class)
  void hostileNarratives_encodeToTheSameBytes(FhirFormat format) {
    Random random = new Random(14);
    // Every narrative of a message is replaced in each round, so the messages are built once.
    List<Bundle> messages =
        SampleMessages.validSamples().stream()
            .map(sample -> SampleMessages.bundle(SampleMessages.record(sample)))
            .toList();
    int ours = 0;
    int composed = 0;
    int all = 0;
    for (int round = 0; round < 150; round++) {
      Bundle bundle = messages.get(round % messages.size());
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        DomainResource resource = (DomainResource) entry.getResource();
        if (random.nextBoolean()) {
          Narrative.of(hostile(random), resource)
              .row(hostile(random), hostile(random))
              .paragraph(hostile(random), hostile(random))
              .applyTo(resource);
        } else {
          resource.getText().setStatus(NarrativeStatus.GENERATED).setDiv(tree(random));
        }
        ours += XmlNarratives.ours(resource.getText()) ? 1 : 0;
        all++;
        XhtmlNode div = resource.getText().getDiv();
        if (JsonNarratives.composable(div)) {
          assertThat(JsonNarratives.compose(div)).isEqualTo(div.getValueAsString());
          composed++;
        }
      }
      assertThat(outcome(() -> CODEC.encodeBuilt(bundle, format)))
          .as("round %d, %s", round, format)
          .isEqualTo(outcome(() -> CODEC.encode(bundle, format)));
    }
    // Both sides of the model are exercised: many narratives written by XmlNarratives, many left
    // to HAPI.
    assertThat(ours).isBetween(all / 5, all * 4 / 5);
    assertThat(composed).isBetween(all / 2, all * 19 / 20);
  }

  private static String outcome(Supplier<String> encode) {
    try {
      return encode.get();
    } catch (RuntimeException e) {
      return "failed: " + e.getClass().getName();
    }
  }

  // What XML carries as it is, and what it cannot (or not unchanged): the second set sends a
  // narrative to HAPI's own path.
  private static final String[] PLAIN = {
    "a",
    "Z",
    "0",
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    " \n ",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "æ",
    "ø",
    "å",
    "Æ",
    "Ø",
    "Å",
    "é",
    "ß",
    "€",
    "\u00A0",
    "\u2003",
    "\u2028",
    "→",
    "😀",
    "]]>",
    "&amp;",
    "<b>x</b>",
    "<!-- c -->",
    "&nbsp;",
    "&#160;",
    "<![CDATA[x]]>",
    "null",
    "xmlns",
    "Hanne Eksempeldatter"
  };
  private static final String[] HOSTILE = {
    "\r", "\r\n", "\uD800", "\uDC00", "\u0001", "\u001F", "\u007F", "\u0085", "\uFFFE", "\uFFFF"
  };

  /** Empty, long (with runs of whitespace), or short; now and then a character XML cannot carry. */
  private static String hostile(Random random) {
    int kind = random.nextInt(30);
    if (kind < 2) {
      return "";
    }
    // Long: beyond Woodstox's 4,000-character input buffer, where a reader could split a text.
    StringBuilder text = new StringBuilder();
    int pieces = kind == 2 ? 1500 + random.nextInt(1500) : random.nextInt(12);
    for (int i = 0; i < pieces; i++) {
      text.append(
          random.nextInt(kind == 2 ? 4000 : 40) == 0
              ? HOSTILE[random.nextInt(HOSTILE.length)]
              : PLAIN[random.nextInt(PLAIN.length)]);
    }
    return text.toString();
  }

  private static final String[] ELEMENTS = {
    "p", "b", "i", "span", "div", "table", "tr", "td", "pre", "br", "a", "li", "h1", "script",
    "style"
  };
  private static final String[] ATTRIBUTES = {
    "class",
    "style",
    "title",
    "href",
    "name",
    "colspan",
    "lang",
    "data-x",
    "xml:lang",
    "xmlns",
    "id"
  };

  private static XhtmlNode tree(Random random) {
    XhtmlNode div = new XhtmlNode(NodeType.Element, "div");
    if (random.nextInt(4) > 0) {
      div.setAttribute("xmlns", XhtmlNode.XMLNS);
    }
    children(div, random, 0);
    if (!div.hasChildren()) {
      div.addText("x");
    }
    return div;
  }

  private static void children(XhtmlNode parent, Random random, int depth) {
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      int kind = random.nextInt(10);
      if (kind < 4) {
        parent.addText(hostile(random));
      } else if (kind == 4) {
        parent.addComment("c");
      } else if (depth < 4) {
        XhtmlNode element = parent.addTag(ELEMENTS[random.nextInt(ELEMENTS.length)]);
        for (int a = random.nextInt(3); a > 0; a--) {
          String value = random.nextInt(8) == 0 ? "" : hostile(random);
          element.setAttribute(ATTRIBUTES[random.nextInt(ATTRIBUTES.length)], value);
        }
        if (random.nextBoolean()) {
          element.setEmptyExpanded(true);
        }
        children(element, random, depth + 1);
      }
    }
  }

  /**
   * What the skipped search is for, so the test above can fail: a reference to an id-less resource.
   */
  @Test
  void aReferenceToAResourceWithoutId_isContainedOnlyByEncode() {
    assertThat(CODEC.encode(withIdlessReference(), FhirFormat.XML)).contains("<contained>");
    assertThat(CODEC.encodeBuilt(withIdlessReference(), FhirFormat.XML))
        .doesNotContain("<contained>");
  }

  // A new one for each encode: HAPI's containing changes the resources it contains.
  private static Bundle withIdlessReference() {
    Bundle bundle = new Bundle();
    Patient patient = new Patient();
    patient.setId("p1");
    patient.setManagingOrganization(new Reference(new Organization().setName("x")));
    bundle.addEntry().setFullUrl("urn:uuid:p1").setResource(patient);
    return bundle;
  }

  // Fixture and record of the send scenarios that continue a thread (SendScenariosTest).
  private static final String[][] THREADS = {
    {"Bundle-S-A-new", "reply-message.json"},
    {"Bundle-S-A-new", "reply-changecategory.json"},
    {"Bundle-S-A-new", "reply-changetopic.json"},
    {"Bundle-S-B-new", "reply-attachment.json"},
    {"Bundle-S-B-new", "reply-add-attachment.json"},
    {"Bundle-S-E-forward", "reply-forward.json"},
    {"Bundle-S-A-new", "forward-message.json"},
    {"Bundle-S-A-new", "forward-changecategory.json"},
    {"Bundle-S-A-new", "forward-changetopic.json"},
    {"Bundle-S-B-new", "forward-attachment.json"},
    {"Bundle-S-B-new", "forward-add-attachment.json"},
    {"Bundle-S-B-new", "forward-partialthread.json"},
    {"Bundle-S-Tek-A-new-episodeOfCare", "tec-01.json"},
    {"Bundle-S-Tek-A-new-episodeOfCare", "tec-06.json"},
  };
}
