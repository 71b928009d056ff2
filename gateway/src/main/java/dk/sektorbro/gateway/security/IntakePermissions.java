package dk.sektorbro.gateway.security;

import dk.sektorbro.gateway.admin.AuditAction;
import dk.sektorbro.gateway.admin.AuditLog;
import dk.sektorbro.gateway.consent.CodedValue;
import dk.sektorbro.gateway.consent.Sector;
import dk.sektorbro.gateway.consent.SenderKind;
import dk.sektorbro.gateway.intake.SubmitPermission;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.ConfiguredSources;
import java.security.Principal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Who may submit records to which source over REST. A source's own user ({@code intake-<source>})
 * to its source; the shared {@code intake} user to the sources {@code
 * gateway.security.intake.shared-user-sources} names (by default every source that is not a
 * hospital's); ADMIN to any. The source's mapping gives the sender kind the legal bases rest on, so
 * a system that may name any source may claim a hospital's exceptions: the start warns when the
 * shared user is set to span a hospital source and a municipal one.
 */
@Component
class IntakePermissions implements SubmitPermission {

  private static final Logger log = LoggerFactory.getLogger(IntakePermissions.class);
  private static final String ADMIN = "ROLE_" + Role.ADMIN.name();
  private static final String SHARED = "ROLE_" + Role.INTAKE.name();

  private final AuditLog audit;
  private final boolean sharedUserMayUseAll;
  private final Set<String> sharedUserSources;
  private final Set<String> hospitalSources;
  // An unknown source is answered 404 (as before) where the setting does not list sources.
  private final boolean sharedUserMayUseUnknown;
  private final Set<String> knownSources;
  private final String mixedSenders;

  @Autowired
  IntakePermissions(MappingRegistry mappings, IntakeAccessProperties properties, AuditLog audit) {
    this(mappings.all(), properties, audit);
  }

  IntakePermissions(
      Collection<MappingDefinition> mappings, IntakeAccessProperties properties, AuditLog audit) {
    this.audit = audit;
    Map<String, MappingDefinition> bySource =
        mappings.stream().collect(Collectors.toMap(MappingDefinition::source, Function.identity()));
    List<String> named = properties.sharedUserSources();
    this.sharedUserMayUseAll = properties.sharedUserMayUseAll();
    boolean nonHospital = properties.sharedUserMayUseNonHospital();
    if ((sharedUserMayUseAll || nonHospital) && named.size() > 1) {
      throw new IllegalStateException(
          "gateway.security.intake.shared-user-sources: '*' (every source) or 'non-hospital'"
              + " cannot be combined with other values");
    }
    this.hospitalSources = Set.copyOf(sourcesIn(List.copyOf(bySource.values()), Sector.HOSPITAL));
    Set<String> sources = new TreeSet<>();
    if (nonHospital) {
      bySource.keySet().stream().filter(s -> !hospitalSources.contains(s)).forEach(sources::add);
    }
    this.sharedUserMayUseUnknown = sharedUserMayUseAll || nonHospital;
    for (String source : named) {
      if (source.equals(IntakeAccessProperties.ALL)
          || source.equals(IntakeAccessProperties.NONE)
          || source.equals(IntakeAccessProperties.NON_HOSPITAL)) {
        continue;
      }
      // A misspelt source would silently lock a system out (or, worse, look configured).
      if (!bySource.containsKey(source)) {
        throw new IllegalStateException(
            "gateway.security.intake.shared-user-sources names source '"
                + source
                + "', which has no mapping; configured: "
                + bySource.keySet().stream().sorted().toList());
      }
      sources.add(source);
    }
    this.sharedUserSources = Set.copyOf(sources);
    this.knownSources = Set.copyOf(bySource.keySet());
    this.mixedSenders =
        mixedSenders(
            bySource.values().stream()
                .filter(m -> sharedUserMayUseAll || sharedUserSources.contains(m.source()))
                .toList());
    if (mixedSenders != null) {
      log.warn(
          "the shared intake user may submit to hospital and municipal sources ({}): a system with"
              + " its password can claim a hospital's legal bases. Give each system its source's"
              + " own user (intake-<source>) and limit the shared one with"
              + " gateway.security.intake.shared-user-sources (docs/operations.md)",
          mixedSenders);
    }
  }

  @Override
  public boolean permits(Principal client, String source) {
    if (!(client instanceof Authentication authentication) || !authentication.isAuthenticated()) {
      return false;
    }
    Set<String> authorities =
        authentication.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .collect(Collectors.toSet());
    if (authorities.contains(ADMIN) || authorities.contains(SourceUsers.sourceAuthority(source))) {
      return true;
    }
    return authorities.contains(SHARED)
        && (sharedUserMayUseAll
            || sharedUserSources.contains(source)
            || (sharedUserMayUseUnknown && !knownSources.contains(source)));
  }

  @Override
  public void refused(Principal client, String source, String entryId, String remoteAddress) {
    log.warn(
        "intake refused user={} source={} id={} address={}: not permitted",
        client.getName(),
        knownSources.contains(source) ? source : ConfiguredSources.UNKNOWN,
        entryId,
        remoteAddress);
    try {
      audit.record(
          client.getName(),
          AuditAction.INTAKE_FORBIDDEN,
          entryId,
          source,
          "user may not submit records to this source",
          "from " + remoteAddress);
    } catch (RuntimeException auditDown) {
      log.warn("intake refusal not audited cause={}", auditDown.getClass().getSimpleName());
    }
  }

  /**
   * The warning's list of sources when they give both the hospital sender kind and a municipal one
   * ("hospital: a, b; municipal: c"), or null when they do not.
   */
  String mixedSendersWarning() {
    return mixedSenders;
  }

  private static String mixedSenders(List<MappingDefinition> reachable) {
    List<String> hospital = sourcesIn(reachable, Sector.HOSPITAL);
    List<String> municipal = sourcesIn(reachable, Sector.MUNICIPALITY);
    if (hospital.isEmpty() || municipal.isEmpty()) {
      return null;
    }
    return "hospital: "
        + String.join(", ", hospital)
        + "; municipal: "
        + String.join(", ", municipal);
  }

  private static List<String> sourcesIn(List<MappingDefinition> mappings, Sector sector) {
    return mappings.stream()
        .filter(
            m ->
                m.senderKind() != null
                    && CodedValue.byCode(SenderKind.class, m.senderKind())
                        .map(kind -> kind.sector() == sector)
                        .orElse(false))
        .map(MappingDefinition::source)
        .sorted()
        .toList();
  }
}
