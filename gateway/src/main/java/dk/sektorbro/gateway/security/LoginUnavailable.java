package dk.sektorbro.gateway.security;

import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * Refused without checking the password: the database that keeps the failed-login counts is away,
 * so a failure could not be counted ({@link GuardedAuthenticationProvider}). The API answers 503
 * with Retry-After, the console asks to try again later. Not an internal-service exception: the
 * console's login filter logs each of those at ERROR with a stack trace, and an outage is reported
 * once per user and address (a WARN of the provider).
 */
public class LoginUnavailable extends AuthenticationServiceException {

  /** What a 503 asks a client to wait; the database check is repeated at most every 2 s. */
  public static final int RETRY_AFTER_SECONDS = 30;

  public LoginUnavailable() {
    super("the login cannot be checked while the database is not available; try again later");
  }
}
