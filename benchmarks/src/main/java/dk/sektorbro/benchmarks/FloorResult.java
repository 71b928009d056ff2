package dk.sektorbro.benchmarks;

/**
 * Throughput and per-message time of the HAPI-only floor, wall clock and (what holds on a shared
 * machine) CPU time of its one thread per message.
 */
record FloorResult(
    double perSecond, double p50Millis, double p99Millis, double cpuMillisPerMessage) {}
