package dk.sektorbro.gateway.support;

import org.springframework.test.context.TestPropertySource;

/**
 * End-to-end tests that need the gateway's clocks quick: a node heartbeat every second instead of
 * five (a route setting made on another node is taken up within a second), and consent holds that
 * expire after 40 s, swept every second, instead of after days. The subclasses share one such
 * application (see {@link GatewayIntegrationTest} for the rules that makes them keep).
 */
@TestPropertySource(
    properties = {
      "gateway.node.heartbeat-interval=1s",
      "gateway.consent.hold-expiry=40s",
      "gateway.consent.expiry-sweep-interval=1s"
    })
public abstract class QuickTimersIntegrationTest extends GatewayIntegrationTest {}
