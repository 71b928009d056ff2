package dk.sektorbro.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * Remembers, for a few minutes, that a user's password was checked: an HMAC of it under a key made
 * at start and never stored, so a system client sending Basic credentials on every request pays
 * BCrypt once per {@link #TTL} instead of on every call. Only successes are cached; a wrong
 * password always goes to BCrypt (and is counted).
 */
public class CredentialCache {

  static final Duration TTL = Duration.ofMinutes(5);
  private static final int MAX_USERS = 1000;

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final SecretKeySpec key;
  private final Clock clock;

  public CredentialCache(Clock clock) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.clock = clock;
  }

  /** The user, when this exact password was checked for them within the last five minutes. */
  public UserDetails find(String user, String password) {
    Entry entry = entries.get(user);
    if (entry == null || entry.expires().isBefore(clock.instant())) {
      return null;
    }
    return MessageDigest.isEqual(entry.mac(), mac(user, password)) ? entry.user() : null;
  }

  public void remember(UserDetails user, String password) {
    if (entries.size() >= MAX_USERS) {
      entries.clear();
    }
    entries.put(
        user.getUsername(),
        new Entry(mac(user.getUsername(), password), user, clock.instant().plus(TTL)));
  }

  private byte[] mac(String user, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Entry(byte[] mac, UserDetails user, Instant expires) {}
}
