package dk.sektorbro.gateway.inbound;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gateway.handover.kept.*}: how often kept received messages are offered to the hand-over
 * again ({@code sweep-interval}: a consent can come to hold without a consent change, e.g. when a
 * refusal lapses), and after how long a kept message counts as overdue for an administrator ({@code
 * overdue-after}, metric {@code gateway.inbound.kept.overdue}).
 */
@ConfigurationProperties("gateway.handover.kept")
public record KeptMessagesProperties(
    @DefaultValue("5m") Duration sweepInterval, @DefaultValue("7d") Duration overdueAfter) {}
