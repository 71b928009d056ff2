package dk.sektorbro.gateway.addressing;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Daily;
import java.time.LocalTime;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Addressing's once-per-cluster timer (work engine, like work.ClusterTimers): shortly after
 * midnight in Denmark, messages held because their postbox or unit was not yet in force (R17) go
 * back through the gates, as the new register day may be their first.
 */
@Configuration
public class AddressingTimers {

  public static final String PERIOD_RECHECK = "address-period-recheck";

  /**
   * Five minutes past midnight, Danish time: the register day has changed on every node's clock.
   */
  static final LocalTime AT = LocalTime.of(0, 5);

  @Bean
  RecurringTask<Void> addressPeriodRecheckTask(HeldAddressRecheck recheck) {
    return Tasks.recurring(PERIOD_RECHECK, new Daily(AddressingGate.REGISTER_ZONE, AT))
        .execute((instance, context) -> recheck.releaseNotYetInForce());
  }
}
