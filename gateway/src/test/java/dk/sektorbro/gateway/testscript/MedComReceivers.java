package dk.sektorbro.gateway.testscript;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import dk.sektorbro.gateway.validation.ValidationReport;
import java.util.List;

/**
 * Checks for a gateway that plays the receiver of MedCom's material (its application: {@link
 * MedComIntegrationTest}).
 */
final class MedComReceivers {

  private MedComReceivers() {}

  /**
   * The official Acknowledgement chain's errors for an acknowledgement the gateway sent (HAPI,
   * loaded by the test).
   */
  static List<ValidationReport.Issue> ackErrors(String ack) {
    return MedComChains.get().forType(ChainDefinition.ACKNOWLEDGEMENT).validate(ack).errors();
  }

  static final FhirContext FHIR = FhirContext.forR4Cached();
}
