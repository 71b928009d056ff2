package dk.sektorbro.gateway.addressing;

/** Something an import left out, and why: {@code item} names it by register id or position only. */
public record Rejection(String item, String reason) {}
