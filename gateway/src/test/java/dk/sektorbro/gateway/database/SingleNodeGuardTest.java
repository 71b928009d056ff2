package dk.sektorbro.gateway.database;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A second gateway node on the same database is refused until the first one is gone. */
class SingleNodeGuardTest {

  @Test
  void secondNodeIsRefused_untilTheFirstStops() throws Exception {
    DriverManagerDataSource database = new DriverManagerDataSource(TestDatabase.newDatabaseUrl(), "postgres", "");
    DriverManagerDataSource otherDatabase = new DriverManagerDataSource(TestDatabase.newDatabaseUrl(), "postgres", "");
    SingleNodeGuard first = new SingleNodeGuard(database);
    first.afterPropertiesSet();

    assertThatThrownBy(() -> new SingleNodeGuard(database).afterPropertiesSet())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another gateway node is running on this database");
    SingleNodeGuard elsewhere = new SingleNodeGuard(otherDatabase);
    assertThatCode(elsewhere::afterPropertiesSet).doesNotThrowAnyException();

    first.destroy();
    SingleNodeGuard next = new SingleNodeGuard(database);
    assertThatCode(next::afterPropertiesSet).doesNotThrowAnyException();
    next.destroy();
    elsewhere.destroy();
  }
}
