package dk.sektorbro.gateway.platform;

/**
 * Whether a source name is one the gateway is configured with (a mapping file names it). A REST
 * client names its source in the URL, so an unconfigured one is whatever the client wrote there,
 * possibly a citizen's CPR number: logs and metric tags show {@link #UNKNOWN} instead (the journal
 * entry keeps what was asked for), which also keeps the metrics' series bounded.
 */
@FunctionalInterface
public interface ConfiguredSources {

  String UNKNOWN = "(unknown)";

  boolean contains(String source);

  /** The source as a log line or metric tag may carry it. */
  default String shown(String source) {
    return source != null && contains(source) ? source : UNKNOWN;
  }
}
