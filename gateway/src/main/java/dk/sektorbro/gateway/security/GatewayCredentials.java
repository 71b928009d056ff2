package dk.sektorbro.gateway.security;

import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Passwords of the built-in users and of each configured source's own intake user ({@link
 * SourceUsers}): from the environment where set; otherwise generated once at first start and kept,
 * owner-readable only, in {@code <data-dir>/credentials}. The log says where the file is, never
 * what is in it.
 */
@Component
public class GatewayCredentials {

  private static final Logger log = LoggerFactory.getLogger(GatewayCredentials.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<Role, String> passwords = new EnumMap<>(Role.class);
  private final Map<String, String> sourcePasswords = new TreeMap<>();

  @Autowired
  public GatewayCredentials(
      Environment environment, GatewayProperties properties, MappingRegistry mappings)
      throws IOException {
    this(
        environment,
        properties,
        mappings.all().stream().map(MappingDefinition::source).sorted().toList());
  }

  /** The built-in users' passwords and those of the given sources' own intake users. */
  GatewayCredentials(
      Environment environment, GatewayProperties properties, Collection<String> sources)
      throws IOException {
    Path file = properties.credentialsFile();
    // Nodes sharing a data folder and started at once must end with one set of passwords, the one
    // in the file: each reads, adds and writes it under a lock (a file lock between processes, a
    // monitor between nodes in one JVM, where the file lock would be refused as overlapping).
    // Without it each kept the passwords it generated and one file survived: the other node refused
    // the file's passwords until it restarted (GeneratedCredentialsTwoNodesTest).
    synchronized (GatewayCredentials.class) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel channel =
              FileChannel.open(
                  file.resolveSibling(file.getFileName() + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        readOrGenerate(environment, file, sources);
      }
    }
  }

  private void readOrGenerate(Environment environment, Path file, Collection<String> sources)
      throws IOException {
    Properties stored = read(file);
    int kept = stored.size();
    for (Role role : Role.values()) {
      passwords.put(role, password(environment, stored, role.passwordVariable(), role.userName()));
    }
    for (String source : sources) {
      sourcePasswords.put(
          source,
          password(
              environment,
              stored,
              SourceUsers.passwordVariable(source),
              SourceUsers.userName(source)));
    }
    if (stored.size() > kept) {
      write(file, stored);
      log.info(
          "generated passwords for users without {} or {} set; stored owner-readable in {}",
          "GATEWAY_<ROLE>_PASSWORD",
          "GATEWAY_INTAKE_<SOURCE>_PASSWORD",
          file.toAbsolutePath());
    }
  }

  public String password(Role role) {
    return passwords.get(role);
  }

  /** The password of the source's own intake user, or null for a source not configured. */
  String sourcePassword(String source) {
    return sourcePasswords.get(source);
  }

  /** The configured sources, each with its own intake user. */
  Set<String> sources() {
    return Collections.unmodifiableSet(sourcePasswords.keySet());
  }

  // The environment's password wins and is not written to the file; otherwise the kept one, or a
  // new one added to the file's properties.
  private static String password(
      Environment environment, Properties stored, String variable, String user) {
    String fromEnvironment = environment.getProperty(variable);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment;
    }
    if (stored.getProperty(user) == null) {
      stored.setProperty(user, randomPassword());
    }
    return stored.getProperty(user);
  }

  private static Properties read(Path file) throws IOException {
    Properties properties = new Properties();
    if (Files.exists(file)) {
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      }
    }
    return properties;
  }

  private static void write(Path file, Properties properties) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(temp);
    }
    try (Writer writer = Files.newBufferedWriter(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
      properties.store(
          writer, "Sektorbro gateway API users (user=password). Keep this file private.");
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
