package dk.sektorbro.gateway.platform;

/**
 * A health indicator that reads the database: while {@link DatabaseReachability} says the database
 * does not answer, it is not asked, and reads DOWN with the reason at once ({@link
 * SafeHealthIndicators}).
 */
public interface DatabaseBackedHealth {}
