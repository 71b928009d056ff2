package dk.sektorbro.gateway.database;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The PostgreSQL the gateway starts itself when no {@code GATEWAY_DB_URL} is set (docs/cluster.md).
 *
 * @param port TCP port on localhost; 0 takes a free one at every start
 * @param startupWait how long a start may take, crash recovery after a kill included
 */
@Validated
@ConfigurationProperties("gateway.database.embedded")
public record EmbeddedDatabaseProperties(
    @DefaultValue("0") @Min(0) @Max(65535) int port, @DefaultValue("120s") Duration startupWait) {}
