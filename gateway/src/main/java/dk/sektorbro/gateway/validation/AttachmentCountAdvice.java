package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;

/**
 * MedCom sets no limit on attachments, but recipients' systems often expect at most 10. A warning,
 * never an error: the message is sent, and the journal shows the warning with the VALIDATED event.
 */
final class AttachmentCountAdvice implements IValidatorModule {

  static final int RECIPIENTS_USUALLY_EXPECT = 10;

  @Override
  public void validateResource(IValidationContext<IBaseResource> context) {
    if (!(context.getResource() instanceof Bundle bundle)) {
      return;
    }
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.getResource() instanceof Communication c) {
        long attachments =
            c.getPayload().stream().filter(p -> p.getContent() instanceof Attachment).count();
        if (attachments > RECIPIENTS_USUALLY_EXPECT) {
          SingleValidationMessage warning = new SingleValidationMessage();
          warning.setSeverity(ResultSeverityEnum.WARNING);
          warning.setLocationString("Bundle.entry.resource.ofType(Communication).payload");
          warning.setMessageId("gateway-attachment-count");
          warning.setMessage(
              attachments
                  + " attachments: MedCom allows more than "
                  + RECIPIENTS_USUALLY_EXPECT
                  + ", but recipients often expect at most "
                  + RECIPIENTS_USUALLY_EXPECT);
          context.addValidationMessage(warning);
        }
      }
    }
  }
}
