package dk.sektorbro.gateway.addressing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.addressing.*}: the registry file imported at first start, which fixes apply by
 * themselves (the rest hold for an operator), and how many snapshots are kept.
 *
 * @param bootstrapFile imported when no snapshot exists yet; none when blank or missing
 * @param autoApply rule ids whose fixes apply without an operator (R1, R2, R4, R5, R6, R8)
 * @param maxSuccessorChain longer successor chains hold (R8)
 * @param keepSnapshots snapshots kept, the active one included
 * @param maxUploadSize largest registry upload accepted
 * @param maxRejectedPercent optional: an upload that rejects more than this share of its units (in
 *     percent) is refused with 422 and the active snapshot stays; none when unset
 */
@Validated
@ConfigurationProperties("gateway.addressing")
public record AddressingProperties(
    Path bootstrapFile,
    @DefaultValue({"R1", "R2", "R5", "R6", "R8"}) Set<String> autoApply,
    @DefaultValue("1") @Min(1) int maxSuccessorChain,
    @DefaultValue("5") @Min(1) int keepSnapshots,
    @DefaultValue("1GB") DataSize maxUploadSize,
    @DecimalMin("0") @DecimalMax("100") Double maxRejectedPercent) {

  public AddressingPolicy policy() {
    return new AddressingPolicy(autoApply, maxSuccessorChain);
  }
}
