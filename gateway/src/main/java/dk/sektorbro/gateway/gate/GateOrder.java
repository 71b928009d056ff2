package dk.sektorbro.gateway.gate;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The order of the gates and of the delivery guards, declared once, by their journal stage names.
 * At the gates addressing goes first: consent is decided on the recipient as the registry resolved
 * it. Before the postbox write consent is rechecked first, so a revoked consent stops a message
 * whatever its address.
 */
public final class GateOrder {

  public static final List<String> GATES = List.of("addressing", "consent");
  // plan-version and plan-consent last: a superseded care-plan version, or a KIP the citizen did
  // not consent to making, fails whatever consent and address say.
  public static final List<String> GUARDS =
      List.of("consent-recheck", "addressing", "plan-version", "plan-consent");

  private GateOrder() {}

  public static List<OutboundGate> gates(List<OutboundGate> gates) {
    return inOrder(gates, OutboundGate::name, GATES, "gate");
  }

  public static List<DeliveryGuard> guards(List<DeliveryGuard> guards) {
    return inOrder(guards, DeliveryGuard::name, GUARDS, "delivery guard");
  }

  // A gate without a place would run in an accidental order: refused at start.
  private static <T> List<T> inOrder(
      List<T> beans, Function<T, String> name, List<String> order, String kind) {
    for (T bean : beans) {
      if (!order.contains(name.apply(bean))) {
        throw new IllegalStateException(
            kind + " '" + name.apply(bean) + "' has no place in GateOrder " + order);
      }
    }
    return beans.stream()
        .sorted(Comparator.comparingInt(bean -> order.indexOf(name.apply(bean))))
        .toList();
  }
}
