package dk.sektorbro.gateway.support;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Runs the test classes that share an application one after another: grouped by the class they
 * inherit their configuration from, then the classes with an application of their own (marked
 * {@code @DirtiesContext}), each group by name. With the context cache kept small
 * (spring.properties), a shared application is then started once and closed when its group is done,
 * instead of idling beside the next ones. Configured in junit-platform.properties.
 */
public class ContextGroupOrder implements ClassOrderer {

  @Override
  public void orderClasses(ClassOrdererContext context) {
    context.getClassDescriptors().sort(Comparator.comparing(ContextGroupOrder::key));
  }

  private static String key(ClassDescriptor descriptor) {
    Class<?> test = descriptor.getTestClass();
    boolean shared =
        GatewayIntegrationTest.class.isAssignableFrom(test)
            && !test.isAnnotationPresent(DirtiesContext.class);
    // Plain tests first (no application), then each shared application's group, then the rest.
    String group =
        !GatewayIntegrationTest.class.isAssignableFrom(test)
            ? "0"
            : shared ? "1 " + test.getSuperclass().getName() : "2";
    return group + " " + test.getName();
  }
}
