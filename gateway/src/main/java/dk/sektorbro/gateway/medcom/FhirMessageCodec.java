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

  public FhirMessageCodec(FhirContext fhir) {
    this.fhir = fhir;
  }

  public String encode(Bundle bundle, FhirFormat format) {
    return parser(format).encodeResourceToString(bundle);
  }

  public Bundle parse(String message, FhirFormat format) {
    return parser(format).parseResource(Bundle.class, message);
  }

  private IParser parser(FhirFormat format) {
    IParser parser = format == FhirFormat.XML ? fhir.newXmlParser() : fhir.newJsonParser();
    return parser.setPrettyPrint(true);
  }
}
