package dk.sektorbro.gateway.cluster;

/**
 * This node's pipeline load, published with its heartbeat: the other nodes' recovery sweep only
 * resumes entries when every node's pipeline is idle. The pipeline implements it.
 */
public interface NodeLoad {

  /** Journal ids queued or being processed in this node's stages. */
  int inFlight();
}
