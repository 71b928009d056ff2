package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.careplan.PlanDocuments.Preparation;
import dk.sektorbro.gateway.intake.RecordPreparation;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import org.springframework.stereotype.Component;

/**
 * Care plans as intake sees them: {@link PlanDocuments} behind intake's {@link RecordPreparation}.
 */
@Component
public class PlanRecordPreparation implements RecordPreparation {

  private final PlanDocuments plans;

  public PlanRecordPreparation(PlanDocuments plans) {
    this.plans = plans;
  }

  @Override
  public Prepared prepare(
      String source, MappingOutcome.Mapped mapped, String contentHash, String recordHash) {
    Preparation preparation = plans.prepare(source, mapped, contentHash, recordHash);
    if (preparation instanceof Preparation.Refused refused) {
      return new Prepared.Refused(refused.issues());
    }
    if (preparation instanceof Preparation.Prepared prepared) {
      return new Prepared.Ready(prepared.record(), journalId -> store(journalId, prepared));
    }
    return new Prepared.AsMapped();
  }

  private void store(String journalId, Preparation.Prepared prepared) {
    try {
      plans.store(journalId, prepared);
    } catch (PlanDocuments.VersionsChanged e) {
      throw new RecordPreparation.Outdated();
    }
  }
}
