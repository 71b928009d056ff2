package dk.sektorbro.gateway.platform;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Whether a failure means the database is away (no connection, the connection lost, the server
 * shutting down or restarting), not that the request or the data was wrong: the work was not done
 * and is done when it is sent again once the database is back.
 */
public final class DatabaseUnavailable {

  private DatabaseUnavailable() {}

  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // A commit or rollback that failed (TransactionSystemException) failed on its connection:
      // "Connection is closed" after the server went away, without a SQLSTATE.
      if (t instanceof CannotCreateTransactionException
          || t instanceof TransactionSystemException
          || t instanceof DataAccessResourceFailureException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      // SQLSTATE class 08: connection exception; 57P01-57P03: the server shuts down, crashed or
      // cannot connect now (PostgreSQL's admin_shutdown, crash_shutdown, cannot_connect_now).
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }
}
