package dk.sektorbro.gateway.mapping;

import java.util.List;
import java.util.Map;

/**
 * A received message as the reverse mapping sees it: values by {@link ReverseField} key, and per
 * attachment its values by attachment field key (title, contentType, data, creation). Absent values
 * are simply missing from the maps.
 */
public record ReverseInput(Map<String, String> fields, List<Map<String, String>> attachments) {
  public ReverseInput {
    fields = Map.copyOf(fields);
    attachments = attachments.stream().map(Map::copyOf).toList();
  }
}
