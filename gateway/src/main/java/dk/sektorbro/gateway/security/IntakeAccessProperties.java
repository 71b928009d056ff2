package dk.sektorbro.gateway.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which sources the shared {@code intake} user may submit records to ({@code
 * gateway.security.intake.*}): {@code non-hospital} every configured source whose mapping does not
 * give the hospital sender kind (the default), {@code *} every source, a list of source names, or
 * {@code none} (or empty) for none. Each source's own user {@code intake-<source>} may submit to
 * that source whatever this says.
 *
 * <p>Not {@code *} by default: a hospital source's records may rest on legal bases only a hospital
 * has (current treatment, the discharge letter to the GP, Mental Health Act §13c), so a password
 * shared by every system must not be enough to submit as one.
 */
@ConfigurationProperties("gateway.security.intake")
public record IntakeAccessProperties(@DefaultValue("non-hospital") List<String> sharedUserSources) {

  static final String ALL = "*";
  static final String NONE = "none";
  static final String NON_HOSPITAL = "non-hospital";

  public IntakeAccessProperties {
    sharedUserSources =
        sharedUserSources == null
            ? List.of()
            : sharedUserSources.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  boolean sharedUserMayUseAll() {
    return sharedUserSources.contains(ALL);
  }

  boolean sharedUserMayUseNonHospital() {
    return sharedUserSources.contains(NON_HOSPITAL);
  }
}
