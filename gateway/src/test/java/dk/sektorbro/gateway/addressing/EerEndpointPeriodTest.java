package dk.sektorbro.gateway.addressing;

import static dk.sektorbro.gateway.addressing.EerBundleFormatTest.CARE_URI;
import static dk.sektorbro.gateway.addressing.EerBundleFormatTest.org;
import static dk.sektorbro.gateway.addressing.TestRegistry.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.addressing.Resolution.Outcome;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * EER Endpoint periods (addressing.md §3: keep Endpoints whose period covers now): an endpoint not
 * yet in force, or whose period has ended, is never used; several endpoints of one postbox (an AP
 * switch) are each used in their own period. Today is {@link TestRegistry#TODAY} (2026-11-23).
 */
class EerEndpointPeriodTest {

  static final String IE = "990111000016009";
  static final String SI = "990121000016000";
  static final String GLN = "5790009900085";

  private SnapshotBuilder builder;

  static String endpoint(String id, String status, String start, String end, String payload) {
    String period =
        (start == null ? "" : "\"start\":\"" + start + "\"")
            + (start != null && end != null ? "," : "")
            + (end == null ? "" : "\"end\":\"" + end + "\"");
    return "{\"resource\":{\"resourceType\":\"Endpoint\",\"id\":\""
        + id
        + "\",\"identifier\":[{\"system\":\"https://www.gs1.org/gln\",\"value\":\""
        + GLN
        + "\"}],\"status\":\""
        + status
        + "\",\"period\":{"
        + period
        + "},\"payloadType\":[{\"coding\":[{\"code\":\""
        + payload
        + "\"}]}]}}";
  }

  /** Region → hospital (SI) referencing the given endpoints, which all carry {@link #GLN}. */
  private RegistrySnapshot registry(String... endpoints) {
    List<String> refs = new ArrayList<>();
    StringBuilder entries = new StringBuilder();
    for (String ep : endpoints) {
      String id = ep.substring(ep.indexOf("\"id\":\"") + 6, ep.indexOf("\",\"identifier\""));
      refs.add("{\"reference\":\"Endpoint/" + id + "\"}");
      entries.append(",").append(ep);
    }
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
            + org("ie", IE, "IO", "Region Nord", null)
            + ","
            + org(
                "si",
                SI,
                "HI",
                "Psykiatrien",
                "{\"reference\":\"Organization/ie\"}",
                refs.toArray(String[]::new))
            + entries
            + "]}";
    builder = new SnapshotBuilder();
    new EerBundleFormat()
        .read(
            new ByteArrayInputStream(bundle.getBytes(StandardCharsets.UTF_8)),
            builder,
            new ImportProgress("t", "EER_FHIR", OffsetDateTime.now()));
    return TestRegistry.snapshot("s", "EER_FHIR", null, builder.build());
  }

  private static Resolution resolve(RegistrySnapshot s, LocalDate day) {
    return new AddressResolver(AddressingPolicy.DEFAULTS)
        .resolve(new Organisation(SI, null, null), MessageTypes.CARE_COMMUNICATION, s, day, false);
  }

  @Test
  void onlyEndpoint_notYetInForce_isHeldWithItsStartDate_neverSent() {
    RegistrySnapshot s = registry(endpoint("ep", "active", "2026-11-24", null, CARE_URI));
    Resolution r = resolve(s, TODAY);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.reason()).contains("(R17)").contains(GLN).contains("2026-11-24");
    // From its first day it is used.
    assertThat(resolve(s, TODAY.plusDays(1)).outcome()).isEqualTo(Outcome.FIXED);
    assertThat(resolve(s, TODAY.plusDays(1)).resolved().gln()).isEqualTo(GLN);
  }

  @Test
  void endpoint_startingToday_isUsed() {
    RegistrySnapshot s = registry(endpoint("ep", "active", "2026-11-23", null, CARE_URI));
    assertThat(resolve(s, TODAY).outcome()).isEqualTo(Outcome.FIXED);
  }

  @Test
  void endpoint_whosePeriodEnded_isNotUsed() {
    RegistrySnapshot s = registry(endpoint("ep", "active", "2025-01-01", "2026-11-22", CARE_URI));
    Resolution r = resolve(s, TODAY);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.errorCode()).isEqualTo(Resolution.MAILBOX_OUT_OF_OPERATION);
    // Its last day is still in its period.
    assertThat(resolve(s, TODAY.minusDays(1)).outcome()).isEqualTo(Outcome.FIXED);
  }

  @Test
  void startAsDateTimeLaterThanMidnight_inCopenhagen_isInForceFromTheNextDay() {
    // 23:30 UTC on the 22nd is 00:30 on the 23rd in Copenhagen: not the whole of the 23rd.
    RegistrySnapshot s = registry(endpoint("ep", "active", "2026-11-22T23:30:00Z", null, CARE_URI));
    assertThat(resolve(s, TODAY).outcome()).isEqualTo(Outcome.HELD);
    assertThat(resolve(s, TODAY.plusDays(1)).outcome()).isEqualTo(Outcome.FIXED);
    // Midnight in Copenhagen is the start of that day.
    RegistrySnapshot midnight =
        registry(endpoint("ep", "active", "2026-11-23T00:00:00+01:00", null, CARE_URI));
    assertThat(resolve(midnight, TODAY).outcome()).isEqualTo(Outcome.FIXED);
  }

  @Test
  void endAsDateTimeDuringTheDay_endsTheDayBefore() {
    RegistrySnapshot s =
        registry(endpoint("ep", "active", "2025-01-01", "2026-11-23T12:00:00+01:00", CARE_URI));
    assertThat(resolve(s, TODAY).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(resolve(s, TODAY.minusDays(1)).outcome()).isEqualTo(Outcome.FIXED);
  }

  @Test
  void twoEndpointsOfOnePostbox_anApSwitch_eachIsUsedInItsOwnPeriod() {
    RegistrySnapshot s =
        registry(
            endpoint("old", "active", "2025-01-01", "2026-11-22", CARE_URI),
            endpoint("new", "active", "2026-11-23", null, CARE_URI));
    assertThat(s.owners(GLN)).containsExactly(SI);
    assertThat(resolve(s, TODAY).outcome()).isEqualTo(Outcome.FIXED);
    assertThat(resolve(s, TODAY.minusDays(1)).outcome()).isEqualTo(Outcome.FIXED);
    assertThat(s.location(GLN, SI, TODAY).orElseThrow().endpointId()).isEqualTo("new");
    assertThat(s.location(GLN, SI, TODAY.minusDays(1)).orElseThrow().endpointId()).isEqualTo("old");
  }

  @Test
  void aCurrentEndpointThatCannotTakeTheType_isNotRescuedByAFutureOneThatCan() {
    RegistrySnapshot s =
        registry(
            endpoint("now", "active", "2025-01-01", null, "urn:other"),
            endpoint("later", "active", "2026-12-01", null, CARE_URI));
    Resolution r = resolve(s, TODAY);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.errorCode()).isEqualTo(Resolution.UNABLE_TO_RECEIVE_TYPE);
  }

  @Test
  void suspendedFutureEndpoint_isOutOfOperation_notHeld() {
    RegistrySnapshot s = registry(endpoint("ep", "suspended", "2026-12-01", null, CARE_URI));
    assertThat(resolve(s, TODAY).errorCode()).isEqualTo(Resolution.MAILBOX_OUT_OF_OPERATION);
  }

  @Test
  void unreadablePeriod_isReported_andTheEndpointIsNotUsed() {
    RegistrySnapshot s = registry(endpoint("ep", "active", "next week", null, CARE_URI));
    assertThat(resolve(s, TODAY).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(builder.build().rejections())
        .extracting(Rejection::reason)
        .anySatisfy(reason -> assertThat(reason).contains("period"));
  }

  /** A SOR XML export: an owner and one hospital with its own postbox, dates as given. */
  static RegistrySnapshot sorXml(String unitFirstFrom, String locationFirstFrom) {
    SnapshotBuilder b = new SnapshotBuilder();
    RegistrySnapshot s = sorXml(b, unitFirstFrom, locationFirstFrom, null);
    assertThat(b.build().rejections()).isEmpty();
    return s;
  }

  static RegistrySnapshot sorXml(
      SnapshotBuilder b, String unitFirstFrom, String locationFirstFrom, String unitToDate) {
    String xml =
        "<SorTree><InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>"
            + IE
            + "</SorIdentifier><EntityName>Region Nord</EntityName></InstitutionOwner>"
            + "<HealthInstitutionEntity><HealthInstitution><SorIdentifier>"
            + SI
            + "</SorIdentifier><EntityName>Psykiatrien</EntityName><OptionalEanLocationCode>"
            + "<EanLocationCodeEntity><EanLocationCode>"
            + GLN
            + "</EanLocationCode><OnlyInternalIndicator>false</OnlyInternalIndicator>"
            + "<NonActiveIndicator>false</NonActiveIndicator><EdiMessageTypeCollection>"
            + "<ReceivesMessageType>FDIS91</ReceivesMessageType></EdiMessageTypeCollection>"
            + (locationFirstFrom == null
                ? ""
                : "<SorStatus><FirstFromDate>" + locationFirstFrom + "</FirstFromDate></SorStatus>")
            + "</EanLocationCodeEntity></OptionalEanLocationCode>"
            + "<SorStatus>"
            + (unitFirstFrom == null ? "" : "<FirstFromDate>" + unitFirstFrom + "</FirstFromDate>")
            + (unitToDate == null ? "" : "<ToDate>" + unitToDate + "</ToDate>")
            + "</SorStatus>"
            + "</HealthInstitution></HealthInstitutionEntity></InstitutionOwnerEntity></SorTree>";
    new SorXmlFormat()
        .read(
            new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
            b,
            new ImportProgress("t", "SOR_XML", OffsetDateTime.now()));
    return TestRegistry.snapshot("s", "SOR_XML", null, b.build());
  }

  @Test
  void sorLocation_registeredBeforeItOpens_isHeldUntilItsFirstFromDate() {
    RegistrySnapshot s = sorXml("2015-01-01", "2026-12-01");
    Resolution r = resolve(s, TODAY);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.reason()).contains("(R17)").contains("2026-12-01");
    assertThat(resolve(s, LocalDate.of(2026, 12, 1)).outcome()).isEqualTo(Outcome.FIXED);
  }

  @Test
  void sorUnit_registeredBeforeItOpens_isHeldUntilItsFirstFromDate() {
    RegistrySnapshot s = sorXml("2026-12-01", null);
    Resolution r = resolve(s, TODAY);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.reason()).contains("(R17)").contains("opens on 2026-12-01");
    assertThat(resolve(s, LocalDate.of(2026, 12, 1)).outcome()).isEqualTo(Outcome.FIXED);
    // Nor is it suggested as an alternative before then.
    assertThat(
            new Alternatives(s, MessageTypes.CARE_COMMUNICATION, TODAY)
                .canReceive(s.unit(SI).orElseThrow()))
        .isFalse();
  }

  /**
   * A SorStatus date that cannot be read was read as none: a closed unit with a garbled ToDate
   * counted as open, a location with a garbled FirstFromDate as in force. Both were used.
   */
  @Test
  void unreadableSorDates_areReported_andNeverReadAsOpen() {
    SnapshotBuilder closed = new SnapshotBuilder();
    RegistrySnapshot s = sorXml(closed, "2015-01-01", null, "31-12-2025");
    assertThat(closed.build().rejections())
        .extracting(Rejection::reason)
        .anySatisfy(r -> assertThat(r).contains("ToDate is not a date"));
    assertThat(s.unit(SI)).isEmpty();
    assertThat(resolve(s, TODAY).outcome()).isEqualTo(Outcome.HELD); // R13: unknown, re-checked

    SnapshotBuilder location = new SnapshotBuilder();
    RegistrySnapshot l = sorXml(location, "2015-01-01", "1. december", null);
    assertThat(location.build().rejections())
        .extracting(Rejection::reason)
        .anySatisfy(r -> assertThat(r).contains("FirstFromDate is not a date"));
    assertThat(resolve(l, TODAY).errorCode()).isEqualTo(Resolution.MAILBOX_OUT_OF_OPERATION);
  }
}
