package dk.sektorbro.gateway.careplan;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FHIR-capable recipient's document endpoint, real HTTP: takes document Bundles (201), or answers
 * 503 while "down" and 400 while "refusing". Every POST is recorded with what was answered. Public
 * for DeliveryRestartTest, which restarts the gateway once for a message and a document.
 */
public final class DocumentEndpoint implements AutoCloseable {

  public enum Mode {
    TAKE,
    DOWN,
    REFUSE
  }

  public record Received(String bundleId, String body, String contentType, int status) {
    public boolean taken() {
      return status == 201;
    }
  }

  private static final Pattern BUNDLE_ID =
      Pattern.compile(
          "^\\{\\s*\"resourceType\"\\s*:\\s*\"Bundle\"\\s*,\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.TAKE;

  public DocumentEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/fhir/Bundle", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/Bundle";
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  public List<Received> receivedFor(String bundleId) {
    return received.stream().filter(r -> bundleId.equals(r.bundleId())).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Matcher id = BUNDLE_ID.matcher(body);
    int status =
        switch (mode) {
          case TAKE -> 201;
          case DOWN -> 503;
          case REFUSE -> 400;
        };
    received.add(
        new Received(
            id.find() ? id.group(1) : null,
            body,
            exchange.getRequestHeaders().getFirst("Content-Type"),
            status));
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
