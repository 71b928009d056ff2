package dk.sektorbro.gateway.security;

import dk.sektorbro.gateway.platform.GatewayProperties;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Passwords of the built-in users: from the environment where set; otherwise generated once at
 * first start and kept, owner-readable only, in {@code <data-dir>/credentials}. The log says where
 * the file is, never what is in it.
 */
@Component
public class GatewayCredentials {

  private static final Logger log = LoggerFactory.getLogger(GatewayCredentials.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<Role, String> passwords = new EnumMap<>(Role.class);

  public GatewayCredentials(Environment environment, GatewayProperties properties)
      throws IOException {
    Path file = properties.credentialsFile();
    Properties stored = read(file);
    boolean generated = false;
    for (Role role : Role.values()) {
      String fromEnvironment = environment.getProperty(role.passwordVariable());
      if (fromEnvironment != null && !fromEnvironment.isBlank()) {
        passwords.put(role, fromEnvironment);
      } else {
        String kept = stored.getProperty(role.userName());
        if (kept == null) {
          kept = randomPassword();
          stored.setProperty(role.userName(), kept);
          generated = true;
        }
        passwords.put(role, kept);
      }
    }
    if (generated) {
      write(file, stored);
      log.info(
          "generated passwords for users without {} set; stored owner-readable in {}",
          "GATEWAY_<ROLE>_PASSWORD",
          file.toAbsolutePath());
    }
  }

  public String password(Role role) {
    return passwords.get(role);
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
