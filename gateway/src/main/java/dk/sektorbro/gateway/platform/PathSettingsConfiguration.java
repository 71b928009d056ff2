package dk.sektorbro.gateway.platform;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.beans.factory.config.CustomEditorConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Binds every {@code Path} setting with {@link PathSettings}. A property editor rather than a
 * converter: configuration binding asks the default property editors first, and Spring's {@code
 * PathEditor} would win.
 */
@Configuration(proxyBeanMethods = false)
public class PathSettingsConfiguration {

  @Bean
  static CustomEditorConfigurer pathSettingsEditor() {
    CustomEditorConfigurer configurer = new CustomEditorConfigurer();
    configurer.setCustomEditors(Map.of(Path.class, PathSettings.Editor.class));
    return configurer;
  }
}
