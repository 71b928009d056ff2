package dk.sektorbro.gateway.platform;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * H2 closes its databases in a JVM shutdown hook of its own, which can run before Spring stops
 * Camel: routes still finishing then log "Database is already closed". Here the pool closes the
 * database when Spring closes the pool, after the routes. Only an embedded H2 URL is touched, and
 * only when it does not say otherwise; the datasource settings themselves stay as configured.
 */
@Component
class H2ShutdownOrder implements BeanPostProcessor {

  static final String SETTING = "DB_CLOSE_ON_EXIT";

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
      pool.setJdbcUrl(closedBySpring(pool.getJdbcUrl()));
    }
    return bean;
  }

  static String closedBySpring(String url) {
    if (!url.startsWith("jdbc:h2:") || url.toUpperCase(java.util.Locale.ROOT).contains(SETTING)) {
      return url;
    }
    return url + ";" + SETTING + "=FALSE";
  }
}
