package dk.sektorbro.gateway.medcom;

/**
 * The one escaper for text put into XHTML (FHIR narratives, the plan's page and PDF,
 * acknowledgement narratives): markup characters become entities, and control characters XML cannot
 * carry are left out.
 */
public final class Xhtml {

  private Xhtml() {}

  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (ch >= 0x20 || ch == '\n' || ch == '\t') {
            out.append(ch);
          }
        }
      }
    }
    return out.toString();
  }
}
