package dk.sektorbro.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Consents that cover each sample in test-messages/ (its citizen, recipient SOR, information
 * categories and purpose), as the staff would have recorded them. Given yesterday, so they are in
 * force whenever the tests run.
 */
public final class SampleConsents {

  /** One sample's disclosure: citizen, recipient, categories, purpose. */
  public record Covered(String cpr, String sor, String purpose, List<String> categories) {}

  public static final List<Covered> SAMPLES =
      List.of(
          // nordby-socialpsykiatri
          new Covered(
              "0101485555",
              "990061000016005",
              "care-coordination",
              List.of("social-conditions", "current-treatment")),
          new Covered(
              "3112558012",
              "990061000016005",
              "care-coordination",
              List.of("social-conditions", "current-treatment")),
          new Covered(
              "1204506021",
              "990041000016009",
              "care-coordination",
              List.of("social-conditions", "current-treatment")),
          new Covered("2802527034", "990051000016007", "current-treatment", List.of("medication")),
          new Covered(
              "0503455012",
              "990031000016002",
              "care-coordination",
              List.of("social-conditions", "current-treatment")),
          // nordby-hjemmepleje
          new Covered(
              "0303527345",
              "990061000016005",
              "current-treatment",
              List.of("observations", "current-treatment")),
          new Covered("1711538456", "990051000016007", "current-treatment", List.of("medication")),
          new Covered(
              "1505475123",
              "990051000016007",
              "current-treatment",
              List.of("observations", "current-treatment")),
          new Covered(
              "2208496234", "990031000016002", "discharge-planning", List.of("functional-status")),
          new Covered(
              "0909565567",
              "990041000016009",
              "care-coordination",
              List.of("functional-status", "social-conditions")),
          // nordby-planer (KIP v1/v2, crisis plan; the §13a/§13b plans need no consent)
          new Covered(
              "0703495678",
              "990031000016002",
              "care-coordination",
              List.of("care-plans", "current-treatment", "substance-misuse", "social-conditions")),
          new Covered(
              "1406525432",
              "990031000016002",
              "care-coordination",
              List.of("care-plans", "current-treatment", "admission-status")),
          // region-nord-psykiatri-planer: the care-course plan, hospital -> municipality
          new Covered(
              "1901415234",
              "990011000016008",
              "discharge-planning",
              List.of("care-plans", "admission-status", "functional-status")));

  private SampleConsents() {}

  /** Records a covering consent for every sample through the API, as admin. */
  public static void recordAll(GatewayClient admin) {
    for (Covered c : SAMPLES) {
      record(admin, c.cpr(), c.sor(), c.purpose(), c.categories());
    }
  }

  /** Records one consent ({@link #json}) through the API, as admin, and returns its id. */
  public static String record(
      GatewayClient admin, String cpr, String sor, String purpose, List<String> categories) {
    GatewayClient.Response response =
        admin.post(
            "/api/v1/consents",
            "application/json",
            json(cpr, sor, purpose, categories).getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().get("id").asText();
  }

  /** A written consent given yesterday by the citizen, collected and witnessed by staff. */
  public static String json(String cpr, String sor, String purpose, List<String> categories) {
    String givenAt = FhirTimes.ago(Duration.ofDays(1));
    return """
        {"citizenCpr": "%s", "type": "consent",
         "givenBy": {"type": "citizen"},
         "recipients": [{"kind": "organisation", "sor": "%s"}],
         "informationCategories": [%s],
         "purpose": "%s", "givenAt": "%s",
         "collectedBy": "Karen Holm, socialrådgiver", "witness": "Lise Jensen", "form": "written"}
        """
        .formatted(
            cpr,
            sor,
            String.join(", ", categories.stream().map(s -> "\"" + s + "\"").toList()),
            purpose,
            givenAt);
  }
}
