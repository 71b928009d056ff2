package dk.sektorbro.gateway.admin;

import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPR numbers a console user filtered the message list by, in the user's session under random
 * handles: the URL of the list carries the handle, never the number. A session keeps the last few;
 * an older handle is no longer understood.
 */
final class CitizenFilters implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final String ATTRIBUTE = CitizenFilters.class.getName();
  private static final int KEPT = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, String> byHandle =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > KEPT;
        }
      };

  static CitizenFilters of(HttpSession session) {
    synchronized (session) {
      CitizenFilters filters = (CitizenFilters) session.getAttribute(ATTRIBUTE);
      if (filters == null) {
        filters = new CitizenFilters();
        session.setAttribute(ATTRIBUTE, filters);
      }
      return filters;
    }
  }

  synchronized String handleFor(String cpr) {
    for (Map.Entry<String, String> e : byHandle.entrySet()) {
      if (e.getValue().equals(cpr)) {
        return e.getKey();
      }
    }
    byte[] bytes = new byte[9];
    RANDOM.nextBytes(bytes);
    String handle = HexFormat.of().formatHex(bytes);
    byHandle.put(handle, cpr);
    return handle;
  }

  /** The number behind the handle, or null for a handle this session did not make. */
  synchronized String cprOf(String handle) {
    return byHandle.get(handle);
  }
}
