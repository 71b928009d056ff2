package dk.sektorbro.gateway.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which sources the shared {@code intake} user may submit records to ({@code
 * gateway.security.intake.*}): {@code *} every configured source (the default, so the tour and
 * existing integrations keep working), a list of source names, or {@code none} (or empty) for none.
 * Each source's own user {@code intake-<source>} may submit to that source whatever this says.
 */
@ConfigurationProperties("gateway.security.intake")
public record IntakeAccessProperties(@DefaultValue("*") List<String> sharedUserSources) {

  static final String ALL = "*";
  static final String NONE = "none";

  public IntakeAccessProperties {
    sharedUserSources =
        sharedUserSources == null
            ? List.of()
            : sharedUserSources.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  boolean sharedUserMayUseAll() {
    return sharedUserSources.contains(ALL);
  }
}
