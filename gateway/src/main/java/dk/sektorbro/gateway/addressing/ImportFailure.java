package dk.sektorbro.gateway.addressing;

/** The whole upload is unusable (not well-formed, wrong format, empty): nothing is stored. */
public class ImportFailure extends RuntimeException {

  public ImportFailure(String reason) {
    super(reason);
  }
}
