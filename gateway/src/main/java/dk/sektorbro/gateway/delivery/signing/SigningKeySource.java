package dk.sektorbro.gateway.delivery.signing;

import java.io.IOException;
import java.security.GeneralSecurityException;

/** Where the current signing key comes from; asked on every signature, so rotation is seen. */
interface SigningKeySource {

  SigningKey key() throws GeneralSecurityException, IOException;
}
