package dk.sektorbro.gateway.journal;

/** How an item reached the gateway. */
public enum Channel {
  FILE,
  REST
}
