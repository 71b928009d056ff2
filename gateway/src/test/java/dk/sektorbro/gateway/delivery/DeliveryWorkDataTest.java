package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import dk.sektorbro.gateway.delivery.DeliveryWork.Purpose;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The delivery work names the Bundle its acknowledgement deadline waits for, so a resend step run
 * again knows its renewal was made (RepeatedResendStepTest). Work stored before it did reads as
 * before: no Bundle named, and a resend step renews as it always did.
 */
class DeliveryWorkDataTest {

  @Test
  void workStoredWithoutTheBundle_readsAsBefore_andNeverCountsAsRenewed() {
    byte[] before =
        "{\"purpose\":\"ACK_DEADLINE\",\"recipientGln\":\"5790009900054\",\"attempts\":0,\"resends\":1,\"lastError\":null}"
            .getBytes(StandardCharsets.UTF_8);
    DeliveryWork work = DeliverySchedule.workOf(before, "5790009900054");
    assertThat(work)
        .isEqualTo(new DeliveryWork(Purpose.ACK_DEADLINE, "5790009900054", 0, 1, null, null));
    assertThat(work.renewedSince("any-bundle")).isFalse();
  }

  @Test
  void theDeadlineOfASentBundle_isKeptThroughEveryStep_andReadBackAsStored() {
    DeliveryWork sent = DeliveryWork.first("5790009900054").sent("bundle-1");
    assertThat(sent.renewedSince("bundle-1")).isFalse();
    assertThat(sent.renewedSince("bundle-2")).isTrue();
    DeliveryWork resend = sent.as(Purpose.RESEND).resent();
    assertThat(resend.sentBundleId()).isEqualTo("bundle-1");
    assertThat(resend.resends()).isEqualTo(1);
    assertThat(DeliverySchedule.workOf(new JacksonSerializer().serialize(resend), null))
        .isEqualTo(resend);
  }
}
