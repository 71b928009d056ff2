package dk.sektorbro.gateway.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * Builds a JSON object from dotted paths ({@code borger.cpr}); {@code bilag[]} is an array of
 * objects.
 */
final class JsonTreeWriter implements ReverseMapper.TreeWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode root = JSON.createObjectNode();

  static boolean isValidPath(String path, boolean repeated) {
    String name = "[A-Za-z0-9_$@-]+";
    return path.matches(name + "(\\." + name + ")*" + (repeated ? "\\[]" : ""));
  }

  @Override
  public void set(Object context, String path, String value) {
    ObjectNode node = context == null ? root : (ObjectNode) context;
    String[] names = path.split("\\.");
    for (int i = 0; i < names.length - 1; i++) {
      node = object(node, names[i]);
    }
    node.put(names[names.length - 1], value);
  }

  @Override
  public Object addRepeated(String path) {
    String bare = path.substring(0, path.length() - 2);
    int dot = bare.lastIndexOf('.');
    ObjectNode parent = root;
    if (dot > 0) {
      for (String name : bare.substring(0, dot).split("\\.")) {
        parent = object(parent, name);
      }
    }
    String name = bare.substring(dot + 1);
    JsonNode existing = parent.get(name);
    ArrayNode array = existing instanceof ArrayNode a ? a : parent.putArray(name);
    return array.addObject();
  }

  @Override
  public byte[] bytes() {
    try {
      return JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(root)
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON cannot be written", e);
    }
  }

  private static ObjectNode object(ObjectNode parent, String name) {
    JsonNode child = parent.get(name);
    return child instanceof ObjectNode o ? o : parent.putObject(name);
  }
}
