package dk.sektorbro.gateway.mapping;

import java.util.List;
import org.springframework.http.MediaType;

/** The record formats a source can declare. */
public enum RecordFormat {
  JSON(List.of(MediaType.APPLICATION_JSON)),
  XML(List.of(MediaType.APPLICATION_XML, MediaType.TEXT_XML));

  private final List<MediaType> mediaTypes;

  RecordFormat(List<MediaType> mediaTypes) {
    this.mediaTypes = mediaTypes;
  }

  /**
   * Whether a REST body with this content type can be this format (also {@code +json}/{@code
   * +xml}).
   */
  public boolean accepts(MediaType contentType) {
    if (contentType == null) {
      return false;
    }
    String suffix = this == JSON ? "+json" : "+xml";
    return mediaTypes.stream().anyMatch(m -> m.isCompatibleWith(contentType))
        || contentType.getSubtype().endsWith(suffix);
  }
}
