package dk.sektorbro.gateway.platform;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An indicator that throws (e.g. its query meets a closed database) makes the whole health endpoint
 * answer 500 instead of DOWN/503. Every plain {@link HealthIndicator} is registered wrapped, so a
 * failure reads as DOWN with the exception type, and the endpoint tells the truth.
 */
@Configuration(proxyBeanMethods = false)
public class SafeHealthIndicators {

  @Bean
  static BeanPostProcessor healthIndicatorsNeverThrow() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HealthContributorRegistry registry) {
          List<NamedContributor<HealthContributor>> all = new ArrayList<>();
          registry.forEach(all::add);
          for (NamedContributor<HealthContributor> named : all) {
            if (named.getContributor() instanceof HealthIndicator indicator
                && !(indicator instanceof AbstractHealthIndicator)) {
              registry.unregisterContributor(named.getName());
              registry.registerContributor(named.getName(), safe(indicator));
            }
          }
        }
        return bean;
      }
    };
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
