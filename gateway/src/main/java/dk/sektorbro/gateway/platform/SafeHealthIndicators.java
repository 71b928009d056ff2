package dk.sektorbro.gateway.platform;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.jdbc.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An indicator that throws (e.g. its query meets a closed database) makes the whole health endpoint
 * answer 500 instead of DOWN/503. Every plain {@link HealthIndicator} is registered wrapped, so a
 * failure reads as DOWN with the exception type, and the endpoint tells the truth. An indicator
 * that reads the database (Spring's {@code db}, every {@link DatabaseBackedHealth}) is asked only
 * while {@link DatabaseReachability} says the database answers: else it reads DOWN with the reason
 * at once, so that health answers within seconds while the database is away instead of after each
 * indicator's wait for a connection in turn.
 */
@Configuration(proxyBeanMethods = false)
public class SafeHealthIndicators {

  @Bean
  static BeanPostProcessor healthIndicatorsNeverThrow(
      ObjectProvider<DatabaseReachability> reachability) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HealthContributorRegistry registry) {
          List<NamedContributor<HealthContributor>> all = new ArrayList<>();
          registry.forEach(all::add);
          for (NamedContributor<HealthContributor> named : all) {
            if (named.getContributor() instanceof HealthIndicator indicator) {
              boolean database =
                  indicator instanceof DatabaseBackedHealth
                      || indicator instanceof DataSourceHealthIndicator;
              if (database) {
                registry.unregisterContributor(named.getName());
                registry.registerContributor(
                    named.getName(), whileReachable(safe(indicator), reachability));
              } else if (!(indicator instanceof AbstractHealthIndicator)) {
                registry.unregisterContributor(named.getName());
                registry.registerContributor(named.getName(), safe(indicator));
              }
            }
          }
        }
        return bean;
      }
    };
  }

  static HealthIndicator whileReachable(
      HealthIndicator indicator, ObjectProvider<DatabaseReachability> reachability) {
    return () ->
        reachability
            .getObject()
            .unreachable()
            .map(reason -> Health.down().withDetail("database", reason).build())
            .orElseGet(indicator::health);
  }

  static HealthIndicator safe(HealthIndicator indicator) {
    return () -> {
      try {
        return indicator.health();
      } catch (RuntimeException e) {
        return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
      }
    };
  }
}
