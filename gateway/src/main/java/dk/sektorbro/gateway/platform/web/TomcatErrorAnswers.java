package dk.sektorbro.gateway.platform.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The answers Tomcat writes itself, for requests it refuses before Spring sees them (a {@code %00}
 * or broken percent-encoding in the URL, a character a request line may not hold, a bad Host
 * header): an OperationOutcome like every other error of the API, instead of Tomcat's HTML page,
 * which a client reading the API's errors cannot parse. Tomcat's error report valve on the host is
 * replaced by one that writes JSON; answers Spring has already written are left as they are.
 */
@Component
class TomcatErrorAnswers
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  private final ObjectProvider<OperationOutcomes> outcomes;

  // Resolved when the first such error is answered: the web server is made before most beans.
  TomcatErrorAnswers(ObjectProvider<OperationOutcomes> outcomes) {
    this.outcomes = outcomes;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          Container parent = context.getParent();
          for (Valve valve : parent.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
              parent.getPipeline().removeValve(valve);
            }
          }
          parent.getPipeline().addValve(new JsonErrorReportValve(outcomes));
          // The host adds its own valve at start unless one of this class is there already.
          if (parent instanceof StandardHost host) {
            host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
          }
        });
  }

  /** After Spring Boot's own customizer, which adds an HTML error report valve to the host. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  static final class JsonErrorReportValve extends ErrorReportValve {

    private final ObjectProvider<OperationOutcomes> outcomes;

    JsonErrorReportValve(ObjectProvider<OperationOutcomes> outcomes) {
      this.outcomes = outcomes;
      setShowReport(false);
      setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int status = response.getStatus();
      // As Tomcat's own: only an error nobody has answered yet, and only while the client listens.
      if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      AtomicBoolean ioAllowed = new AtomicBoolean(false);
      response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
      if (!ioAllowed.get()) {
        return;
      }
      String body =
          outcomes.getObject().encodeError(type(status), key(status), String.valueOf(status));
      try {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        PrintWriter writer = response.getReporter();
        if (writer != null) {
          writer.write(body);
          response.finishResponse();
        }
      } catch (IOException | IllegalStateException gone) {
        // The client is gone or the answer had begun: nothing more can be said.
      }
    }

    private static IssueType type(int status) {
      return switch (status) {
        case 400 -> IssueType.STRUCTURE;
        case 404 -> IssueType.NOTFOUND;
        case 405, 501, 505 -> IssueType.NOTSUPPORTED;
        case 413, 414, 431 -> IssueType.TOOLONG;
        default -> status >= 500 ? IssueType.EXCEPTION : IssueType.PROCESSING;
      };
    }

    private static String key(int status) {
      return switch (status) {
        case 400 -> "request.malformed";
        case 404 -> "request.no-endpoint";
        case 413, 414, 431 -> "request.too-long";
        default -> status >= 500 ? "request.server-refused" : "request.refused";
      };
    }
  }
}
