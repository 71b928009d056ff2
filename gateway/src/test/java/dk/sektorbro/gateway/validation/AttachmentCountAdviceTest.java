package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/** More than 10 attachments is allowed by MedCom: a warning for the journal, never an error. */
class AttachmentCountAdviceTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final FhirValidator ADVICE =
      FHIR.newValidator().registerValidatorModule(new AttachmentCountAdvice());

  @Test
  void tenAttachments_noWarning() {
    assertThat(validate(withAttachments(10))).isEmpty();
  }

  @Test
  void elevenAttachments_warningOnly() {
    List<SingleValidationMessage> messages = validate(withAttachments(11));

    assertThat(messages)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getSeverity()).isEqualTo(ResultSeverityEnum.WARNING);
              assertThat(m.getMessage()).startsWith("11 attachments");
            });
  }

  private static List<SingleValidationMessage> validate(Bundle bundle) {
    return ADVICE
        .validateWithResult(FHIR.newJsonParser().encodeResourceToString(bundle))
        .getMessages();
  }

  private static Bundle withAttachments(int count) {
    Communication c = new Communication();
    c.setId("c1");
    c.addPayload().setContent(new StringType("tekst"));
    for (int i = 0; i < count; i++) {
      c.addPayload()
          .setContent(new Attachment().setTitle("Bilag " + i).setContentType("application/pdf"));
    }
    Bundle bundle = new Bundle().setType(Bundle.BundleType.MESSAGE);
    bundle.addEntry().setFullUrl("https://sektorbro.local/fhir/Communication/c1").setResource(c);
    return bundle;
  }
}
