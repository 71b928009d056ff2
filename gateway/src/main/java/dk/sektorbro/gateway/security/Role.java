package dk.sektorbro.gateway.security;

/** API roles. System clients log in with HTTP Basic as one built-in user per role. */
public enum Role {
  INTAKE,
  OPERATOR,
  ADMIN;

  /** The built-in user of this role, and the environment variable its password comes from. */
  public String userName() {
    return name().toLowerCase();
  }

  public String passwordVariable() {
    return "GATEWAY_" + name() + "_PASSWORD";
  }
}
