package dk.sektorbro.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.addressing.RegistryService;
import dk.sektorbro.gateway.addressing.RegistryUpload;
import dk.sektorbro.gateway.support.CheapPasswords;
import dk.sektorbro.gateway.support.TestDatabase;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two gateway nodes (two application contexts) on one PostgreSQL database and one data folder,
 * started at once on the empty database, as an operator would start a cluster: the SOR registry
 * they address by must be one registry, whichever node imported it.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesRegistryTest {

  private static final Path REGISTRY = TestFiles.REPO.resolve("registry/synthetic-sor.xml");

  private Path dataDir;
  private String databaseUrl;
  private ConfigurableApplicationContext nodeA;
  private ConfigurableApplicationContext nodeB;
  private int bootstrapImports;
  private int activeAfterStart;

  @BeforeAll
  void startTwoNodesAtOnce() throws Exception {
    dataDir = Files.createTempDirectory("two-nodes");
    databaseUrl = TestDatabase.newDatabaseUrl();
    CompletableFuture<ConfigurableApplicationContext> a =
        CompletableFuture.supplyAsync(() -> start("node-a"));
    CompletableFuture<ConfigurableApplicationContext> b =
        CompletableFuture.supplyAsync(() -> start("node-b"));
    nodeA = a.get();
    nodeB = b.get();
    bootstrapImports =
        jdbc()
            .sql("SELECT count(*) FROM registry_snapshot WHERE content_hash = :sha")
            .param("sha", sha256(REGISTRY))
            .query(Integer.class)
            .single();
    activeAfterStart = activeIds().size();
  }

  @AfterAll
  void stop() {
    if (nodeB != null) {
      nodeB.close();
    }
    if (nodeA != null) {
      nodeA.close();
    }
  }

  @Test
  void twoNodesStartingOnAnEmptyDatabase_importTheBootstrapRegistryOnce() {
    assertThat(bootstrapImports)
        .as("the bootstrap file imported by one node, not by each")
        .isEqualTo(1);
    assertThat(activeAfterStart).isEqualTo(1);
  }

  @Test
  void importsOnBothNodesAtOnce_leaveOneActiveSnapshot_andBothNodesAddressByIt() throws Exception {
    for (int round = 0; round < 3; round++) {
      CyclicBarrier together = new CyclicBarrier(2);
      List<CompletableFuture<Void>> imports = new ArrayList<>();
      for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
        imports.add(
            CompletableFuture.runAsync(
                () -> {
                  try (RegistryUpload upload = RegistryUpload.of(REGISTRY)) {
                    together.await();
                    node.getBean(RegistryService.class).importSnapshot(upload);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      CompletableFuture.allOf(imports.toArray(CompletableFuture[]::new)).get();
      List<String> active = activeIds();
      assertThat(active).as("round %d: active snapshots in the database", round).hasSize(1);
      awaitBothNodesOn(active.get(0));
    }
  }

  @Test
  void aSnapshotImportedOnOneNode_isUsedByTheOtherNode() throws Exception {
    String before = activeOn(nodeB);
    try (RegistryUpload upload = RegistryUpload.of(REGISTRY)) {
      nodeA.getBean(RegistryService.class).importSnapshot(upload);
    }
    List<String> active = activeIds();
    assertThat(active).hasSize(1).doesNotContain(before);
    assertThat(activeOn(nodeA)).isEqualTo(active.get(0));
    awaitBothNodesOn(active.get(0));
  }

  private void awaitBothNodesOn(String snapshot) {
    // The other node notices within a few seconds (RegistryService re-reads the active id).
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(activeOn(nodeA)).as("node-a's snapshot").isEqualTo(snapshot);
              assertThat(activeOn(nodeB)).as("node-b's snapshot").isEqualTo(snapshot);
            });
  }

  private static String activeOn(ConfigurableApplicationContext node) {
    return node.getBean(RegistryService.class).active().orElseThrow().info().id();
  }

  private List<String> activeIds() {
    return jdbc()
        .sql("SELECT id FROM registry_snapshot WHERE active = TRUE")
        .query(String.class)
        .list();
  }

  private JdbcClient jdbc() {
    return nodeA.getBean(JdbcClient.class);
  }

  private static String sha256(Path file) {
    try (RegistryUpload upload = RegistryUpload.of(file)) {
      return upload.sha256();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private ConfigurableApplicationContext start(String name) {
    return new SpringApplicationBuilder(GatewayApplication.class, CheapPasswords.class)
        .run(
            "--server.port=0",
            "--spring.jmx.enabled=false",
            "--spring.datasource.url=" + databaseUrl,
            "--spring.datasource.username=postgres",
            "--gateway.node.name=" + name,
            "--gateway.node.heartbeat-interval=1s",
            "--gateway.data-dir=" + dataDir,
            "--gateway.mappings-dir=" + TestFiles.MAPPINGS,
            "--gateway.addressing.bootstrap-file=" + REGISTRY,
            "--gateway.conformance.mode=fast",
            "--gateway.conformance.warm-up=on-demand",
            "--GATEWAY_ADMIN_PASSWORD=a-restart-test-pw",
            "--GATEWAY_INTAKE_PASSWORD=b-restart-test-pw",
            "--GATEWAY_OPERATOR_PASSWORD=c-restart-test-pw",
            "--GATEWAY_AUDITOR_PASSWORD=d-restart-test-pw");
  }
}
