package dk.sektorbro.gateway.database;

import com.zaxxer.hikari.HikariDataSource;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.io.IOException;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Without {@code GATEWAY_DB_URL} the gateway runs its own PostgreSQL under the data folder
 * (docs/cluster.md). The connection pool is a bean that depends on the server, so Spring closes the
 * pool first and stops PostgreSQL last.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseCondition.class)
public class EmbeddedDatabaseConfiguration {

  @Bean(destroyMethod = "close")
  EmbeddedPostgresServer embeddedPostgres(
      GatewayProperties gateway, EmbeddedDatabaseProperties properties) throws IOException {
    return EmbeddedPostgresServer.start(gateway.dataDir(), properties);
  }

  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(EmbeddedPostgresServer server, DataSourceProperties properties) {
    properties.setUrl(server.jdbcUrl());
    properties.setUsername(EmbeddedPostgresServer.USER);
    properties.setPassword("");
    return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
  }
}
