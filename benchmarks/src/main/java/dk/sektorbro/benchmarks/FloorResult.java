package dk.sektorbro.benchmarks;

/** Throughput and per-message time of the HAPI-only floor. */
record FloorResult(double perSecond, double p50Millis, double p99Millis) {}
