package dk.sektorbro.gateway.platform;

import java.nio.file.Path;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;

/** A PKCS#12 file as Spring Boot's store details, so Spring Boot loads it (TLS and signing). */
public final class Pkcs12Stores {

  private Pkcs12Stores() {}

  /** None when the path is unset; a missing password is the empty one. */
  public static JksSslStoreDetails details(Path file, String password) {
    return file == null
        ? null
        : new JksSslStoreDetails(
            "PKCS12",
            null,
            file.toAbsolutePath().toUri().toString(),
            password == null ? "" : password);
  }
}
