package dk.sektorbro.gateway.mapping;

import java.util.List;

/**
 * A parsed source record (or a part of it) that mapping paths are evaluated against. JSON paths are
 * dotted names with {@code []} to step into every array element; XML paths are XPath.
 */
public interface SourceNode {

  /** Text of every scalar the path selects; empty when nothing matches. */
  List<String> texts(String path);

  /** Every element the path selects, for repeated groups such as attachments. */
  List<SourceNode> nodes(String path);
}
