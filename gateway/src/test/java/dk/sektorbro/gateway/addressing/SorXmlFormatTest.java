package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SOR XML reader on the shipped synthetic registry and on broken exports. */
class SorXmlFormatTest {

  static final Path SYNTHETIC =
      Path.of("").toAbsolutePath().getParent().resolve("registry/synthetic-sor.xml");

  private final SnapshotBuilder builder = new SnapshotBuilder();

  private LocalDate read(InputStream in) {
    return new SorXmlFormat()
        .read(in, builder, new ImportProgress("test", "SOR_XML", OffsetDateTime.now()));
  }

  private LocalDate read(String xml) {
    return read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private RegistrySnapshot snapshot() {
    return TestRegistry.snapshot("s", "SOR_XML", null, builder.build());
  }

  @Test
  void syntheticRegistry_importsCompletely_withInheritanceAndSuccessors() throws IOException {
    LocalDate date;
    try (InputStream in = Files.newInputStream(SYNTHETIC)) {
      date = read(in);
    }
    assertThat(date).isEqualTo(LocalDate.of(2026, 11, 20));
    RegistrySnapshot s = snapshot();
    assertThat(builder.rejections()).isEmpty();
    assertThat(s.units()).hasSize(20);
    // The six sample postboxes of the test messages.
    assertThat(s.unit("990011000016008").orElseThrow().effectiveGln()).isEqualTo("5790009900016");
    assertThat(s.unit("990021000016004").orElseThrow().effectiveGln()).isEqualTo("5790009900023");
    assertThat(s.unit("990031000016002").orElseThrow().effectiveGln()).isEqualTo("5790009900030");
    assertThat(s.unit("990041000016009").orElseThrow().effectiveGln()).isEqualTo("5790009900047");
    assertThat(s.unit("990051000016007").orElseThrow().effectiveGln()).isEqualTo("5790009900054");
    assertThat(s.unit("990061000016005").orElseThrow().effectiveGln()).isEqualTo("5790009900061");
    // Team Nord 1 inherits from Hjemmeplejen, two levels up.
    RegistryUnit team = s.unit("990091000016001").orElseThrow();
    assertThat(team.ownGln()).isNull();
    assertThat(team.effectiveGln()).isEqualTo("5790009900023");
    assertThat(team.effectiveGlnFrom()).isEqualTo("990021000016004");
    assertThat(s.path(team.sorId()))
        .extracting(RegistryUnit::level)
        .containsExactly(
            RegistryUnit.Level.IE,
            RegistryUnit.Level.SI,
            RegistryUnit.Level.OE,
            RegistryUnit.Level.OE);
    // The closed ward P1 and its postbox.
    RegistryUnit p1 = s.unit("990131000016003").orElseThrow();
    assertThat(p1.validTo()).isEqualTo(LocalDate.of(2026, 6, 30));
    assertThat(p1.replacedBy()).containsExactly("990031000016002");
    RegistryLocation p1Box =
        s.location("5790009900092", p1.sorId(), TestRegistry.TODAY).orElseThrow();
    assertThat(p1Box.nonActive()).isTrue();
    assertThat(p1Box.validTo()).isEqualTo(LocalDate.of(2026, 6, 30));
    assertThat(s.locations("5790009900078").get(0).onlyInternal()).isTrue();
    assertThat(s.locations("5790009900108").get(0).receives())
        .containsExactlyInAnyOrder("XDIS91", "DIS91");
    assertThat(s.locations("5790009900030").get(0).receives())
        .containsExactlyInAnyOrder("FDIS91", "FCTL");
    // Legacy indexes.
    assertThat(s.byShak("880103"))
        .extracting(RegistryUnit::sorId)
        .containsExactly("990031000016002");
    assertThat(s.byProviderNumber("99002"))
        .extracting(RegistryUnit::sorId)
        .containsExactly("990201000016000");
    // The IE-owned GP postbox is inherited by the clinic.
    assertThat(s.unit("990201000016000").orElseThrow().effectiveGln()).isEqualTo("5790009900122");
  }

  @Test
  void badXml_failsTheWholeImport() {
    assertThatThrownBy(() -> read("<SorTree><InstitutionOwnerEntity><InstitutionOwner>"))
        .isInstanceOf(ImportFailure.class)
        .hasMessageContaining("not well-formed");
    assertThatThrownBy(() -> read("<Other/>"))
        .isInstanceOf(ImportFailure.class)
        .hasMessageContaining("SorTree");
  }

  @Test
  void uploadCutInsideAMultiByteCharacter_isAnImportFailure_notAnError() throws IOException {
    byte[] whole = Files.readAllBytes(SYNTHETIC);
    String text = new String(whole, StandardCharsets.UTF_8);
    // Keep the first of the two bytes of the "æ" in "Lægehuset", as a dropped connection would.
    int at =
        text.substring(0, text.indexOf("Lægehuset") + 1).getBytes(StandardCharsets.UTF_8).length
            + 1;
    byte[] truncated = Arrays.copyOf(whole, at);
    assertThatThrownBy(() -> read(new ByteArrayInputStream(truncated)))
        .isInstanceOf(ImportFailure.class)
        .hasMessageContaining("SOR XML");
  }

  @Test
  void doctypeWithExternalEntity_isNotResolved() throws IOException {
    Path secret = Files.createTempFile("secret", ".txt");
    Files.writeString(secret, "990011000016008");
    String xml =
        "<?xml version=\"1.0\"?><!DOCTYPE SorTree [<!ENTITY x SYSTEM \""
            + secret.toUri()
            + "\">]>"
            + "<SorTree><InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>&x;</SorIdentifier>"
            + "<EntityName>X</EntityName></InstitutionOwner></InstitutionOwnerEntity></SorTree>";
    try {
      read(xml);
      assertThat(builder.unitCount()).isZero();
    } catch (ImportFailure expected) {
      assertThat(expected.getMessage()).doesNotContain("990011000016008");
    } finally {
      Files.delete(secret);
    }
  }

  @Test
  void unknownElements_areIgnoredAndReported_unitsStillImported() {
    read(
        "<SorTree xmlns='urn:oio:sundhedsstyrelsen:organisation:1.0.0'><FutureHeader>x</FutureHeader>"
            + "<InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>990071000016000</SorIdentifier>"
            + "<EntityName>Nordby Kommune</EntityName><NewField>y</NewField>"
            + "<PostalAddressInformation><StreetName>Vej</StreetName></PostalAddressInformation></InstitutionOwner>"
            + "</InstitutionOwnerEntity></SorTree>");
    assertThat(builder.unitCount()).isEqualTo(1);
    assertThat(builder.rejections())
        .extracting(Rejection::item)
        .containsExactlyInAnyOrder("element FutureHeader", "element NewField");
  }

  @Test
  void unitWhoseParentIsMissing_isRejectedWithItsSubtree() {
    // The SI has a bad check digit, so its OE and the OE's child lose their parent.
    read(
        "<SorTree><InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>990071000016000</SorIdentifier>"
            + "<EntityName>Owner</EntityName></InstitutionOwner>"
            + "<HealthInstitutionEntity><HealthInstitution><SorIdentifier>990011000016004</SorIdentifier>"
            + "<EntityName>Bad</EntityName></HealthInstitution>"
            + "<OrganizationalUnitEntity><OrganizationalUnit><SorIdentifier>990031000016002</SorIdentifier>"
            + "<EntityName>Child</EntityName></OrganizationalUnit>"
            + "<OrganizationalUnitEntity><OrganizationalUnit><SorIdentifier>990041000016009</SorIdentifier>"
            + "<EntityName>Grandchild</EntityName></OrganizationalUnit></OrganizationalUnitEntity>"
            + "</OrganizationalUnitEntity></HealthInstitutionEntity>"
            + "<HealthInstitutionEntity><HealthInstitution><SorIdentifier>990021000016004</SorIdentifier>"
            + "<EntityName>Good</EntityName></HealthInstitution></HealthInstitutionEntity>"
            + "</InstitutionOwnerEntity></SorTree>");
    RegistrySnapshot s = snapshot();
    assertThat(s.units())
        .extracting(RegistryUnit::sorId)
        .containsExactlyInAnyOrder("990071000016000", "990021000016004");
    List<Rejection> rejections = builder.build().rejections();
    assertThat(rejections)
        .extracting(Rejection::item)
        .contains("unit 990011000016004", "unit 990031000016002", "unit 990041000016009");
    assertThat(rejections)
        .filteredOn(r -> r.item().equals("unit 990041000016009"))
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("parent unit 990031000016002"));
    assertThat(s.unit("990021000016004").orElseThrow().parentSorId()).isEqualTo("990071000016000");
  }

  @Test
  void inheritedEanWithNoOwnerAbove_leavesTheUnitWithoutPostbox() {
    read(
        "<SorTree><InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>990071000016000</SorIdentifier>"
            + "<EntityName>Owner</EntityName></InstitutionOwner><HealthInstitutionEntity><HealthInstitution>"
            + "<SorIdentifier>990011000016008</SorIdentifier><EntityName>SI</EntityName><OptionalEanLocationCode>"
            + "<EntityInheritedIndicator>true</EntityInheritedIndicator></OptionalEanLocationCode></HealthInstitution>"
            + "</HealthInstitutionEntity></InstitutionOwnerEntity></SorTree>");
    assertThat(snapshot().unit("990011000016008").orElseThrow().effectiveGln()).isNull();
  }

  /**
   * SOR XML indicators are xs:boolean, whose lexical forms include "1" and "0". Read with
   * Boolean.parseBoolean, "1" was false: an internal-only or non-active postbox was addressed as an
   * external, active one (a wrong postbox), and a unit inheriting by "1" had none.
   */
  @Test
  void indicatorsWrittenAsOneAndZero_areReadAsXmlSchemaBooleans() {
    read(
        "<SorTree><InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>990071000016000</SorIdentifier>"
            + "<EntityName>Owner</EntityName></InstitutionOwner>"
            + hospital("990011000016008", "Internal", "5790009900016", "1", "0")
            + hospital("990021000016004", "Closed box", "5790009900023", "0", "1")
            + hospital("990061000016005", "Open box", "5790009900061", "0", "0")
            + "<OrganizationalUnitEntity><OrganizationalUnit><SorIdentifier>990031000016002</SorIdentifier>"
            + "<EntityName>Inheriting ward</EntityName><OptionalEanLocationCode>"
            + "<EntityInheritedIndicator>1</EntityInheritedIndicator></OptionalEanLocationCode>"
            + "</OrganizationalUnit></OrganizationalUnitEntity></HealthInstitutionEntity>"
            + hospital("990041000016009", "Unreadable flag", "5790009900047", "0", "yes")
            + "</InstitutionOwnerEntity></SorTree>");
    RegistrySnapshot s = snapshot();
    assertThat(
            s.location("5790009900016", "990011000016008", TestRegistry.TODAY)
                .orElseThrow()
                .onlyInternal())
        .isTrue();
    assertThat(
            s.location("5790009900023", "990021000016004", TestRegistry.TODAY)
                .orElseThrow()
                .nonActive())
        .isTrue();
    assertThat(s.unit("990031000016002").orElseThrow().effectiveGln()).isEqualTo("5790009900061");

    assertThat(resolve(s, "990011000016008").reason()).contains("(R12)");
    assertThat(resolve(s, "990021000016004").errorCode())
        .isEqualTo(Resolution.MAILBOX_OUT_OF_OPERATION);
    assertThat(resolve(s, "990031000016002").outcome()).isEqualTo(Resolution.Outcome.FIXED);
    // Neither true nor false: reported, and read as the safe side (not active).
    assertThat(resolve(s, "990041000016009").outcome()).isEqualTo(Resolution.Outcome.FAILED);
    assertThat(builder.build().rejections())
        .extracting(Rejection::reason)
        .containsExactly(
            "NonActiveIndicator is not an xs:boolean (true, false, 1, 0); read as the safe value");
  }

  /** A SI with its own postbox taking CareCommunication; leaves the entity open for children. */
  private static String hospital(
      String sor, String name, String gln, String onlyInternal, String nonActive) {
    return "<HealthInstitutionEntity><HealthInstitution><SorIdentifier>"
        + sor
        + "</SorIdentifier><EntityName>"
        + name
        + "</EntityName><OptionalEanLocationCode><EanLocationCodeEntity><EanLocationCode>"
        + gln
        + "</EanLocationCode><OnlyInternalIndicator>"
        + onlyInternal
        + "</OnlyInternalIndicator><NonActiveIndicator>"
        + nonActive
        + "</NonActiveIndicator><EdiMessageTypeCollection><ReceivesMessageType>FDIS91"
        + "</ReceivesMessageType></EdiMessageTypeCollection></EanLocationCodeEntity>"
        + "</OptionalEanLocationCode></HealthInstitution>"
        + ("990061000016005".equals(sor) ? "" : "</HealthInstitutionEntity>");
  }

  private static Resolution resolve(RegistrySnapshot s, String sor) {
    return new AddressResolver(AddressingPolicy.DEFAULTS)
        .resolve(
            new Organisation(sor, null, null),
            MessageTypes.CARE_COMMUNICATION,
            s,
            LocalDate.of(2026, 12, 7),
            false);
  }
}
