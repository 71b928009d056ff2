package dk.sektorbro.gateway.security;

import java.time.Duration;
import java.time.Instant;
import org.springframework.security.authentication.LockedException;

/** Refused without checking the password: too many failed logins for this user or source. */
public class LoginLocked extends LockedException {

  private final Instant until;

  public LoginLocked(Instant until) {
    super("too many failed logins; try again later");
    this.until = until;
  }

  /** Whole seconds until the next login may be tried, at least 1. */
  public long retryAfterSeconds(Instant now) {
    return Math.max(1, Duration.between(now, until).toSeconds() + 1);
  }
}
