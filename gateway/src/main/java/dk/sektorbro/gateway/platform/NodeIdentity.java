package dk.sektorbro.gateway.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This node's name in the cluster: {@code gateway.node.name}, by default host and process id, so
 * several nodes on one host (as in the kill test) are told apart. It is what the work engine writes
 * as {@code picked_by} on the work this node runs.
 */
@Component
public class NodeIdentity {

  private final String name;

  public NodeIdentity(@Value("${gateway.node.name:}") String configured) {
    this.name =
        configured == null || configured.isBlank()
            ? host() + ":" + ProcessHandle.current().pid()
            : configured;
  }

  public String name() {
    return name;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
