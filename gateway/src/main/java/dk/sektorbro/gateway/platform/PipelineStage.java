package dk.sektorbro.gateway.platform;

/**
 * One stage of the pipeline as a bean: it names its place, one of {@link RouteIds#STAGES} (which
 * fixes the order gates → translate → validate → deliver), and works on one journal entry at a
 * time. The pipeline builds one route per stage from these beans; no stage is wired by hand.
 */
public interface PipelineStage {

  /** Its place in the pipeline: the stage's route id and queue name. */
  String stage();

  /** Works on one entry; true when the entry goes on to the next stage's queue. */
  boolean process(String journalId);
}
