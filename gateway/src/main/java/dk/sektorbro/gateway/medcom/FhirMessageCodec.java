package dk.sektorbro.gateway.medcom;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * Encodes and parses MedCom message Bundles in XML or JSON. Parsers are cheap; the context is
 * shared.
 */
@Component
public class FhirMessageCodec {

  private final FhirContext fhir;
  private final FhirContext builtMessages;

  public FhirMessageCodec(FhirContext fhir) {
    this.fhir = fhir;
    this.builtMessages = withoutContaining(fhir);
  }

  public String encode(Bundle bundle, FhirFormat format) {
    return parser(fhir, format).encodeResourceToString(bundle);
  }

  /**
   * The same bytes as {@link #encode} for a message the gateway built: every reference in it is by
   * id ({@link CareCommunicationBuilder}, the thread copies of {@link CareCommunicationThreads}),
   * so there is nothing to contain, and HAPI's search for resources to contain is skipped (a walk
   * of every element of the Bundle on each encode, about a seventh of translating a message; issue
   * 14). The narratives are written without HAPI's compose and re-parse of each div in XML ({@link
   * XmlNarratives}), and composed without XhtmlComposer in JSON ({@link JsonNarratives}); both swap
   * the divs in the Bundle during the encode and put them back, so the Bundle must be the caller's
   * own (the translation's and the dry run's are built on the calling thread). {@code
   * FhirMessageCodecTest} holds the two encodings equal for every sample, both formats, new
   * messages, replies and generated hostile narratives.
   */
  public String encodeBuilt(Bundle bundle, FhirFormat format) {
    IParser parser = parser(builtMessages, format);
    return format == FhirFormat.XML
        ? XmlNarratives.encode(bundle, parser)
        : JsonNarratives.encode(bundle, parser);
  }

  public Bundle parse(String message, FhirFormat format) {
    return parser(fhir, format).parseResource(Bundle.class, message);
  }

  private static IParser parser(FhirContext context, FhirFormat format) {
    IParser parser = format == FhirFormat.XML ? context.newXmlParser() : context.newJsonParser();
    return parser.setPrettyPrint(true);
  }

  // A context of its own: the option is the context's, and other encodes (consents, plan
  // documents) may rely on HAPI containing a referenced resource that has no id.
  private static FhirContext withoutContaining(FhirContext shared) {
    FhirContext context = new FhirContext(shared.getVersion().getVersion());
    context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
    return context;
  }
}
