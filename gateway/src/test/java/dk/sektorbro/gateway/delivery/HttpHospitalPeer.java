package dk.sektorbro.gateway.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A hospital's FHIR $process-message endpoint, real HTTP: answers every message with the current
 * mode's acknowledgement in the response body, nothing, or HTTP 503 when "down".
 */
final class HttpHospitalPeer implements AutoCloseable {

  enum Mode {
    OK,
    FATAL,
    TRANSIENT,
    NOTHING,
    DOWN,
    /**
     * Acknowledges ok on another channel ({@link #elsewhere}) first, then answers the POST with
     * nothing: the acknowledgement can overtake the sender's own record of the send.
     */
    OK_ELSEWHERE_FIRST
  }

  /** One POST the peer got: the message ids and what it answered. */
  record Received(String messageHeaderId, String bundleId, Mode answered, String contentType) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.OK;
  private volatile Consumer<String> elsewhere = ack -> {};

  HttpHospitalPeer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/fhir/$process-message", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/$process-message";
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  /** Where {@link Mode#OK_ELSEWHERE_FIRST} sends its acknowledgement. */
  void elsewhere(Consumer<String> channel) {
    this.elsewhere = channel;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<Received> receivedFor(String messageHeaderId) {
    return received.stream().filter(r -> r.messageHeaderId().equals(messageHeaderId)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    Mode now = mode;
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String[] ids = Acks.ids(body);
    received.add(
        new Received(ids[0], ids[1], now, exchange.getRequestHeaders().getFirst("Content-Type")));
    switch (now) {
      case DOWN -> respond(exchange, 503, "");
      case NOTHING -> respond(exchange, 202, "");
      case OK -> respond(exchange, 200, Acks.ack(ids[0], "ok"));
      case FATAL -> respond(exchange, 200, Acks.ack(ids[0], "fatal-error"));
      case TRANSIENT -> respond(exchange, 200, Acks.ack(ids[0], "transient-error"));
      case OK_ELSEWHERE_FIRST -> {
        elsewhere.accept(Acks.ack(ids[0], "ok"));
        respond(exchange, 202, "");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
