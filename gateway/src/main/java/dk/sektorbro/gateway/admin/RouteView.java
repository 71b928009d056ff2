package dk.sektorbro.gateway.admin;

/**
 * One Camel route as the console shows it: its state, counters since start, messages in flight, and
 * failures journaled by its stage in the last hour. {@code failing} makes it stand out.
 */
public record RouteView(
    String id,
    String status,
    long exchanges,
    long failedExchanges,
    int inflight,
    long failuresLastHour,
    boolean failing) {}
