package dk.sektorbro.gateway.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * PostgreSQL's own corruption checks (amcheck) on the gateway's database after processes died: no
 * corrupt heap page in any table, no corrupt B-tree index (bt_index_check raises an error on one).
 */
final class DatabaseIntegrity {

  private DatabaseIntegrity() {}

  static void assertIntact(String jdbcUrl) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS amcheck");
      int tables = 0;
      try (ResultSet rs =
          s.executeQuery(
              """
          SELECT c.relname, (SELECT COUNT(*) FROM verify_heapam(c.oid)) FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'""")) {
        while (rs.next()) {
          tables++;
          assertThat(rs.getLong(2)).as("corrupt pages in %s", rs.getString(1)).isZero();
        }
      }
      int indexes = 0;
      try (ResultSet rs =
          s.executeQuery(
              """
          SELECT c.relname, bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam
          WHERE n.nspname = 'public' AND am.amname = 'btree'""")) {
        while (rs.next()) {
          indexes++; // bt_index_check raises an error on a corrupt index
        }
      }
      assertThat(tables).isGreaterThan(10);
      assertThat(indexes).isGreaterThan(10);
    }
  }
}
