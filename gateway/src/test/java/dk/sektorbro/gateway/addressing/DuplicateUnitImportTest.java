package dk.sektorbro.gateway.addressing;

import static dk.sektorbro.gateway.addressing.Codes.gln;
import static dk.sektorbro.gateway.addressing.Codes.sor;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.addressing.Resolution.Outcome;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * A SOR XML export that lists one SOR code twice: the file's order must not decide which postbox
 * the unit has. Real SorXmlFormat and SnapshotBuilder, resolved by the plain-Java resolver.
 */
class DuplicateUnitImportTest {

  static final String REGION = sor(501);
  static final String HOSPITAL = sor(502);
  static final String WARD = sor(503);
  static final String FIRST_GLN = gln(502);
  static final String SECOND_GLN = gln(512);
  static final String OTHER = sor(504);
  static final String OTHER_GLN = gln(504);

  private static String institution(String sor, String name, String gln) {
    return """
        <HealthInstitutionEntity>
          <HealthInstitution>
            <SorIdentifier>%s</SorIdentifier>
            <EntityName>%s</EntityName>
            <OptionalEanLocationCode>
              <EanLocationCodeEntity>
                <EanLocationCode>%s</EanLocationCode>
                <OnlyInternalIndicator>false</OnlyInternalIndicator>
                <NonActiveIndicator>false</NonActiveIndicator>
                <EdiMessageTypeCollection>
                  <ReceivesMessageType>FDIS91</ReceivesMessageType>
                </EdiMessageTypeCollection>
              </EanLocationCodeEntity>
            </OptionalEanLocationCode>
            <SorStatus><FromDate>2020-01-01</FromDate></SorStatus>
          </HealthInstitution>
          %s
        </HealthInstitutionEntity>
        """
        .formatted(sor, name, gln, "%s");
  }

  private static final String WARD_XML =
      """
      <OrganizationalUnitEntity>
        <OrganizationalUnit>
          <SorIdentifier>%s</SorIdentifier>
          <EntityName>Ward</EntityName>
          <OptionalEanLocationCode>
            <EntityInheritedIndicator>true</EntityInheritedIndicator>
          </OptionalEanLocationCode>
          <SorStatus><FromDate>2020-01-01</FromDate></SorStatus>
        </OrganizationalUnit>
      </OrganizationalUnitEntity>
      """
          .formatted(WARD);

  private static RegistrySnapshot importing(String... institutions) {
    String xml =
        """
        <SorTree xmlns="urn:oio:sundhedsstyrelsen:organisation:1.0.0">
          <SnapshotDate>2026-11-20</SnapshotDate>
          <InstitutionOwnerEntity>
            <InstitutionOwner>
              <SorIdentifier>%s</SorIdentifier>
              <EntityName>Region</EntityName>
              <SorStatus><FromDate>2020-01-01</FromDate></SorStatus>
            </InstitutionOwner>
            %s
          </InstitutionOwnerEntity>
        </SorTree>
        """
            .formatted(REGION, String.join("\n", institutions));
    SnapshotBuilder builder = new SnapshotBuilder();
    new SorXmlFormat()
        .read(
            new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
            builder,
            new ImportProgress("test", "SOR_XML", OffsetDateTime.now()));
    return TestRegistry.snapshot("dup", "SOR_XML", null, builder.build());
  }

  private static Resolution resolve(RegistrySnapshot s, String sor, String gln) {
    return new AddressResolver(AddressingPolicy.DEFAULTS)
        .resolve(
            new Organisation(sor, gln, null),
            MessageTypes.CARE_COMMUNICATION,
            s,
            TestRegistry.TODAY,
            false);
  }

  private static final String OTHER_XML = institution(OTHER, "Other Hospital", OTHER_GLN);

  @Test
  void unitListedTwiceWithDifferentPostboxes_isUsedByNeither() {
    RegistrySnapshot s =
        importing(
            institution(HOSPITAL, "Hospital", FIRST_GLN).formatted(WARD_XML),
            institution(HOSPITAL, "Hospital (new EAN)", SECOND_GLN).formatted(""),
            OTHER_XML.formatted(""));
    assertThat(s.unit(HOSPITAL)).isEmpty();
    assertThat(s.owners(SECOND_GLN)).isEmpty();
    assertThat(s.owners(FIRST_GLN)).isEmpty();
    for (Resolution r :
        java.util.List.of(
            resolve(s, HOSPITAL, null),
            resolve(s, null, SECOND_GLN),
            resolve(s, null, FIRST_GLN),
            resolve(s, WARD, null))) {
      assertThat(r.outcome()).isEqualTo(Outcome.HELD);
      assertThat(r.resolved()).isNull();
      assertThat(r.reason()).contains("(R13)");
    }
    // The rest of the export is used.
    assertThat(resolve(s, OTHER, null).resolved().gln()).isEqualTo(OTHER_GLN);
    assertThat(s.info().rejected()).isPositive();
  }

  @Test
  void unitListedTwiceIdentically_isReadOnce() {
    String same = institution(HOSPITAL, "Hospital", FIRST_GLN);
    RegistrySnapshot s =
        importing(same.formatted(WARD_XML), same.formatted(""), OTHER_XML.formatted(""));
    assertThat(s.locations(FIRST_GLN)).hasSize(1);
    Resolution r = resolve(s, WARD, null);
    assertThat(r.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(r.resolved().gln()).isEqualTo(FIRST_GLN);
  }
}
