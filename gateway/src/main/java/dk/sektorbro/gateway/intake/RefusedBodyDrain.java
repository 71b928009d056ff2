package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.platform.GatewayProperties;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Lets a REST client whose record is over the size limit read its 413. {@link IntakeController}
 * answers without reading such a body; Tomcat then reads and drops the rest, but by default only 2
 * MB of it. Past that it closes the socket with the body still arriving, the kernel answers the
 * client's next segments with a reset, and a client that is still writing never reads the answer
 * ("broken pipe", "header parser received no bytes"). Up to twice the record limit is drained here,
 * so the sender of any record up to twice too large gets its refusal; the sender of anything larger
 * is cut off, as a server should cut it off.
 */
@Component
class RefusedBodyDrain
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  private final int drain;

  RefusedBodyDrain(GatewayProperties properties) {
    this.drain =
        (int) Math.min(Integer.MAX_VALUE, 2 * properties.intake().maxRecordSize().toBytes());
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addConnectorCustomizers(
        connector -> {
          // An operator's larger server.tomcat.max-swallow-size, or -1 (no limit), stays.
          if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http
              && http.getMaxSwallowSize() >= 0
              && http.getMaxSwallowSize() < drain) {
            http.setMaxSwallowSize(drain);
          }
        });
  }

  /** After Spring Boot's own customizer, which sets server.tomcat.max-swallow-size. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
