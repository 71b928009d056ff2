package dk.sektorbro.gateway.platform.web;

import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * The gateway's user texts (messages.properties) outside an application context: for the plain Java
 * parts that are also used without Spring (tools, unit tests). In the application the same file is
 * Spring Boot's {@code messageSource}.
 */
public final class MessageBundle {

  private MessageBundle() {}

  /** messages.properties read directly, as Spring Boot reads it (UTF-8, no system locale). */
  public static MessageSource standalone() {
    ResourceBundleMessageSource bundle = new ResourceBundleMessageSource();
    bundle.setBasename("messages");
    bundle.setDefaultEncoding("UTF-8");
    bundle.setFallbackToSystemLocale(false);
    return bundle;
  }
}
