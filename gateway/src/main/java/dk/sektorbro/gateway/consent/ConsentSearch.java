package dk.sektorbro.gateway.consent;

/**
 * A look-up of a citizen's consents with the CPR number in the body ({@code POST
 * /api/v1/consents/_search}), so that it is not in a URL, which reverse proxies and browsers keep.
 */
public record ConsentSearch(String cpr) {}
