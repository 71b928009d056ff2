package dk.sektorbro.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** JSON record node; paths like {@code borger.cpr}, {@code bilag[]} or {@code adresser[0].vej}. */
final class JsonSourceNode implements SourceNode {

  private final JsonNode node;

  JsonSourceNode(JsonNode node) {
    this.node = node;
  }

  @Override
  public List<String> texts(String path) {
    List<String> texts = new ArrayList<>();
    for (JsonNode selected : select(path)) {
      if (selected.isValueNode() && !selected.isNull()) {
        texts.add(selected.asText());
      }
    }
    return texts;
  }

  @Override
  public int groups(String path) {
    // An empty {} or [] holds nothing that could be dropped: no value, as null is.
    return (int) select(path).stream().filter(n -> n.isContainerNode() && !n.isEmpty()).count();
  }

  @Override
  public List<SourceNode> nodes(String path) {
    return select(path).stream().<SourceNode>map(JsonSourceNode::new).toList();
  }

  private List<JsonNode> select(String path) {
    List<JsonNode> current = List.of(node);
    for (String segment : path.split("\\.")) {
      current = step(current, segment);
    }
    return current;
  }

  private static List<JsonNode> step(List<JsonNode> nodes, String segment) {
    String name = segment;
    String index = null;
    int bracket = segment.indexOf('[');
    if (bracket >= 0) {
      name = segment.substring(0, bracket);
      index = segment.substring(bracket + 1, segment.length() - 1);
    }
    List<JsonNode> next = new ArrayList<>();
    for (JsonNode n : nodes) {
      JsonNode child = name.isEmpty() ? n : n.get(name);
      if (child == null || child.isMissingNode()) {
        continue;
      }
      if (index == null) {
        next.add(child);
      } else if (index.isEmpty() && child.isValueNode()) {
        // One value where a list is expected ("a" for ["a"]) is a list of one, as one element is
        // in XML; it was read as no values at all.
        next.add(child);
      } else if (index.isEmpty()) {
        child.forEach(next::add);
      } else if (child.has(Integer.parseInt(index))) {
        next.add(child.get(Integer.parseInt(index)));
      }
    }
    return next;
  }

  /** Syntax check used when a mapping file is loaded. */
  static boolean isValidPath(String path) {
    return path.matches("[A-Za-z0-9_$@-]*(\\[\\d*])?(\\.[A-Za-z0-9_$@-]+(\\[\\d*])?)*")
        && !path.isEmpty();
  }
}
