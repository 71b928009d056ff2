package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The night admin types a date into a filter: the console and the API answer a date they cannot use
 * with the form's message (the console) or a 400 OperationOutcome (the API), never a 500 error
 * page. Dates that parse (ISO allows a sign and more than four year digits) but lie beyond what a
 * day can be shifted to, or what PostgreSQL's timestamp can hold, are such dates.
 */
class AdminFilterDatesEndToEndTest extends GatewayIntegrationTest {

  private static final String FILTER_MESSAGE = "Filter not understood";

  @Test
  void messageList_withADateAtTheEndOfTime_showsTheFilterMessage() {
    ConsoleSession operator = ConsoleSession.login(base(), "operator", OPERATOR_PASSWORD);

    for (String query :
        new String[] {"to=%2B999999999-12-31", "from=%2B300000-01-01", "from=-300000-01-01"}) {
      HttpResponse<String> page = operator.get("/admin/messages?" + query);
      assertThat(page.statusCode()).as(query).isEqualTo(200);
      assertThat(page.body()).as(query).contains(FILTER_MESSAGE);
    }
  }

  @Test
  void legalBasisReport_withADateAtTheEndOfTime_showsTheDateMessage() {
    ConsoleSession operator = ConsoleSession.login(base(), "operator", OPERATOR_PASSWORD);

    for (String query : new String[] {"to=-999999999-01-01", "from=%2B300000-01-01"}) {
      HttpResponse<String> page = operator.get("/admin/legal-basis-report?" + query);
      assertThat(page.statusCode()).as(query).isEqualTo(200);
      assertThat(page.body()).as(query).contains("From and to are dates");

      HttpResponse<String> csv = operator.get("/admin/legal-basis-report.csv?" + query);
      assertThat(csv.statusCode()).as(query).isEqualTo(400);
    }
  }

  @Test
  void messagesApi_withASinceBeyondTheDatabase_isA400OperationOutcome() {
    GatewayClient operator = operatorClient();

    for (String since : new String[] {"%2B300000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z"}) {
      GatewayClient.Response response = operator.get("/api/v1/messages?since=" + since);
      assertThat(response.status()).as(since).isEqualTo(400);
      assertThat(response.body()).as(since).contains("OperationOutcome");
    }
  }

  @Test
  void consentReportApi_withADateAtTheEndOfTime_isA400OperationOutcome() {
    GatewayClient operator = operatorClient();

    for (String query :
        new String[] {"to=-999999999-01-01", "from=%2B300000-01-01", "to=%2B999999999-12-31"}) {
      GatewayClient.Response response =
          operator.get("/api/v1/consents/$legal-basis-report?" + query);
      assertThat(response.status()).as(query).isEqualTo(400);
      assertThat(response.body()).as(query).contains("OperationOutcome");
    }
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
