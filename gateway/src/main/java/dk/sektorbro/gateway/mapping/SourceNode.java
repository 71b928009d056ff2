package dk.sektorbro.gateway.mapping;

import java.util.List;

/**
 * A parsed source record (or a part of it) that mapping paths are evaluated against. JSON paths are
 * dotted names with {@code []} to step into every array element; XML paths are XPath.
 */
public interface SourceNode {

  /** Text of every scalar the path selects; empty when nothing matches. */
  List<String> texts(String path);

  /**
   * How many of the nodes the path selects are groups (a JSON object or array with something in it)
   * rather than values: {@link #texts} leaves them out, and a record that sends a group where the
   * mapping expects a value must be told so rather than have the field dropped. An empty group is
   * no value, as null is. XML elements always have a text.
   */
  default int groups(String path) {
    return 0;
  }

  /** Every element the path selects, for repeated groups such as attachments. */
  List<SourceNode> nodes(String path);
}
