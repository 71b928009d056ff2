package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A care plan is journaled together with its document: intake stores the document under the new
 * journal id before the pipeline starts. When storing the document fails (here the database refuses
 * the row, as a connection lost at that moment would), the record is not accepted, so the client's
 * retry journals it whole; an entry journaled without its document would go out without the
 * document delivery and the plan facts its consent decision reads.
 */
class PlanStoredWithEntryTest extends MedComIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired JdbcClient jdbc;
  @Autowired DocumentRepository documents;

  @Test
  void aPlanWhoseDocumentCannotBeStored_isNotAccepted_andItsRetryCarriesTheDocument()
      throws Exception {
    String number = "UA-2026-9" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    ObjectNode plan =
        (ObjectNode) JSON.readTree(SamplePlans.path("udskrivningsaftale.json").toFile());
    plan.put("journalpostId", "PLAN-" + number);
    plan.put("plannummer", number);
    byte[] record = JSON.writeValueAsBytes(plan);

    jdbc.sql(
            """
            CREATE FUNCTION plan_store_fails_once() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.plan_number = '"""
                + number
                + """
            ' THEN RAISE EXCEPTION 'plan document not stored (test)'; END IF;
              RETURN NEW;
            END
            $$""")
        .update();
    jdbc.sql(
            "CREATE TRIGGER plan_store_fails_once BEFORE INSERT ON plan_document"
                + " FOR EACH ROW EXECUTE FUNCTION plan_store_fails_once()")
        .update();
    GatewayClient.Response first;
    try {
      first =
          intakeClient(SamplePlans.SOURCE)
              .post("/api/v1/records/" + SamplePlans.SOURCE, "application/json", record);
    } finally {
      jdbc.sql("DROP TRIGGER plan_store_fails_once ON plan_document").update();
      jdbc.sql("DROP FUNCTION plan_store_fails_once()").update();
    }
    assertThat(first.status()).as(first.body()).isNotEqualTo(202);

    GatewayClient.Response retry =
        intakeClient(SamplePlans.SOURCE)
            .post("/api/v1/records/" + SamplePlans.SOURCE, "application/json", record);
    // 202, or 200 when the first attempt's entry was journaled after all (a duplicate of it).
    assertThat(retry.status()).as(retry.body()).isIn(200, 202);
    String id = retry.json().get("id").asText();
    assertThat(documents.findByJournalId(id))
        .as("the journaled plan carries its document")
        .isPresent();
  }
}
