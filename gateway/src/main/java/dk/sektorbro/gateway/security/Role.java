package dk.sektorbro.gateway.security;

/**
 * API and console roles. System clients log in with HTTP Basic as one built-in user per role;
 * people log in to the admin console with the same users. AUDITOR reads the audit log only.
 */
public enum Role {
  INTAKE,
  OPERATOR,
  ADMIN,
  AUDITOR;

  /** The built-in user of this role, and the environment variable its password comes from. */
  public String userName() {
    return name().toLowerCase();
  }

  public String passwordVariable() {
    return "GATEWAY_" + name() + "_PASSWORD";
  }
}
