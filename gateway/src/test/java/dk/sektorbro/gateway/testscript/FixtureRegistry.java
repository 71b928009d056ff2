package dk.sektorbro.gateway.testscript;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;

/**
 * The organisations and citizens of MedCom's fixture messages, read in place, for a gateway that
 * plays MedCom's certification scenarios: the synthetic SOR registry plus one unit per fixture
 * organisation (its own SOR code, EAN and name, receiving CareCommunication and acknowledgements),
 * uploaded by the runner as an operator uploads a SOR export. Replies and forwards to the fixtures'
 * organisations then go through addressing as to any registered unit; nothing of ../shared is
 * stored in the repository.
 */
final class FixtureRegistry {

  /** One organisation of a fixture: SOR code, EAN (GLN) and name as the fixture states them. */
  record FixtureOrganisation(String sor, String gln, String name) {}

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  /**
   * The synthetic owner the fixture units hang under (item 99099, namespace 1000016, partition 00).
   */
  private static final String OWNER_SOR = withCheckDigit("99099100001600");

  private final List<FixtureOrganisation> organisations;
  private final Set<String> citizens;

  private FixtureRegistry(List<FixtureOrganisation> organisations, Set<String> citizens) {
    this.organisations = List.copyOf(organisations);
    this.citizens = Set.copyOf(citizens);
  }

  /**
   * Every organisation with a valid SOR code and EAN in the given fixture messages that the
   * synthetic registry does not hold; the first fixture naming a SOR code or an EAN wins (SOR has
   * one unit per code and one unit per EAN, MedCom's fixtures are not always consistent).
   */
  static FixtureRegistry of(String syntheticRegistry, List<String> fixtureMessages) {
    Map<String, FixtureOrganisation> bySor = new LinkedHashMap<>();
    Set<String> glns = new HashSet<>();
    Set<String> citizens = new HashSet<>();
    for (String text : fixtureMessages) {
      Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, text);
      for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
        if (e.getResource() instanceof Organization o) {
          String sor = value(o.getIdentifier(), MedComProfiles.SOR_SYSTEM);
          String gln = value(o.getIdentifier(), MedComProfiles.GLN_SYSTEM);
          if (LocationNumbers.isValidSor(sor)
              && LocationNumbers.isValidGln(gln)
              && !bySor.containsKey(sor)
              && !glns.contains(gln)
              && !syntheticRegistry.contains(sor)
              && !syntheticRegistry.contains(gln)) {
            bySor.put(
                sor,
                new FixtureOrganisation(
                    sor, gln, o.hasName() ? o.getName() : "MedCom fixture unit " + sor));
            glns.add(gln);
          }
        } else if (e.getResource() instanceof Patient p) {
          String cpr = value(p.getIdentifier(), MedComProfiles.CPR_SYSTEM);
          if (cpr != null) {
            citizens.add(cpr);
          }
        }
      }
    }
    return new FixtureRegistry(new ArrayList<>(bySor.values()), citizens);
  }

  List<FixtureOrganisation> organisations() {
    return organisations;
  }

  /** The CPR numbers of the fixtures' citizens. */
  Set<String> citizens() {
    return citizens;
  }

  /** The synthetic registry with the fixture units added (a SOR XML export). */
  String merged(String syntheticRegistry) {
    StringBuilder units = new StringBuilder();
    units.append(
        """
          <!-- Added by the TestScript runner: the organisations of MedCom's fixture messages -->
          <InstitutionOwnerEntity>
            <InstitutionOwner>
              <SorIdentifier>%s</SorIdentifier>
              <EntityName>MedCom TestScript fixture organisations</EntityName>
              <SorStatus><FromDate>2015-01-01</FromDate><FirstFromDate>2015-01-01</FirstFromDate></SorStatus>
            </InstitutionOwner>
        """
            .formatted(OWNER_SOR));
    for (FixtureOrganisation o : organisations) {
      units.append(
          """
              <HealthInstitutionEntity>
                <HealthInstitution>
                  <SorIdentifier>%s</SorIdentifier>
                  <EntityName>%s</EntityName>
                  <OptionalEanLocationCode>
                    <EanLocationCodeEntity>
                      <EanLocationCode>%s</EanLocationCode>
                      <OnlyInternalIndicator>false</OnlyInternalIndicator>
                      <NonActiveIndicator>false</NonActiveIndicator>
                      <SorStatus><FromDate>2020-01-01</FromDate></SorStatus>
                      <EdiMessageTypeCollection>
                        <ReceivesMessageType>FDIS91</ReceivesMessageType>
                        <ReceivesMessageType>FCTL</ReceivesMessageType>
                      </EdiMessageTypeCollection>
                    </EanLocationCodeEntity>
                  </OptionalEanLocationCode>
                  <SorStatus><FromDate>2015-01-01</FromDate><FirstFromDate>2015-01-01</FirstFromDate></SorStatus>
                </HealthInstitution>
              </HealthInstitutionEntity>
          """
              .formatted(o.sor(), xml(o.name()), o.gln()));
    }
    units.append("  </InstitutionOwnerEntity>\n");
    int end = syntheticRegistry.lastIndexOf("</SorTree>");
    return syntheticRegistry.substring(0, end) + units + syntheticRegistry.substring(end);
  }

  private static String value(List<Identifier> identifiers, String system) {
    return identifiers.stream()
        .filter(i -> system.equals(i.getSystem()))
        .map(Identifier::getValue)
        .findFirst()
        .orElse(null);
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String withCheckDigit(String stem) {
    for (char d = '0'; d <= '9'; d++) {
      if (LocationNumbers.isValidSor(stem + d)) {
        return stem + d;
      }
    }
    throw new IllegalStateException("no Verhoeff check digit for " + stem);
  }
}
