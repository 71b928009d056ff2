package dk.sektorbro.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.platform.NodeIdentity;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Nodes of one cluster started with other mappings or of another version, and a node whose clock is
 * off: each shows in the cluster view of the others (before, nothing told them apart).
 */
class NodeConfigurationTest {

  @TempDir Path folder;

  @Test
  void aLiveNodeWithOtherMappingsOrAnotherSchema_isShownToTheOthers() {
    JdbcClient jdbc = JdbcClient.create(MigratedPostgres.start().getPostgresDatabase());
    NodeConfiguration ours = new NodeConfiguration("47.1", "aaaaaaaaaaaaaaaa");
    ClusterNodes nodes = new ClusterNodes(jdbc, Clock.systemUTC(), Duration.ofSeconds(5));
    nodes.beat("node-a", true, 0, ours);
    nodes.beat("node-b", false, 0, new NodeConfiguration("47.1", "aaaaaaaaaaaaaaaa"));
    nodes.beat("node-c", false, 0, new NodeConfiguration("47.1", "bbbbbbbbbbbbbbbb"));
    nodes.beat("node-d", false, 0, new NodeConfiguration("42", "aaaaaaaaaaaaaaaa"));
    // A node of a version before V47_1 writes neither column.
    jdbc.sql(
            "INSERT INTO gateway_node (name, host, started_at, last_heartbeat, inbox_leader, in_flight)"
                + " VALUES ('node-e', 'h', now(), now(), FALSE, 0)")
        .update();

    ClusterView view = new ClusterView(nodes, new NodeIdentity("node-a"), jdbc, ours);

    assertThat(view.otherConfigurations()).containsExactlyInAnyOrder("node-c", "node-d", "node-e");
    assertThat(view.describe())
        .filteredOn(ClusterView.NodeView::configurationDiffers)
        .extracting(ClusterView.NodeView::name)
        .containsExactlyInAnyOrder("node-c", "node-d", "node-e");
  }

  @Test
  void theHeartbeatMeasuresHowFarTheNodesClockIsOffTheDatabases() {
    JdbcClient jdbc = JdbcClient.create(MigratedPostgres.start().getPostgresDatabase());
    NodeConfiguration ours = new NodeConfiguration("47.1", "aaaaaaaaaaaaaaaa");
    ClusterNodes behind =
        new ClusterNodes(
            jdbc, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-90)), Duration.ofSeconds(5));

    Duration skew = behind.beat("node-behind", false, 0, ours).clockSkew();

    assertThat(skew).isBetween(Duration.ofSeconds(-95), Duration.ofSeconds(-85));
    assertThat(behind.all().get(0).clockSkewMillis()).isBetween(-95_000L, -85_000L);
  }

  @Test
  void twoLiveProcessesWithOneNodeName_areSeen_aRestartUnderTheSameNameIsNot() {
    JdbcClient jdbc = JdbcClient.create(MigratedPostgres.start().getPostgresDatabase());
    NodeConfiguration ours = new NodeConfiguration("47.1", "aaaaaaaaaaaaaaaa");
    ClusterNodes before = new ClusterNodes(jdbc, Clock.systemUTC(), Duration.ofSeconds(5));
    ClusterNodes restarted = new ClusterNodes(jdbc, Clock.systemUTC(), Duration.ofSeconds(5));
    before.beat("node-1", true, 0, ours);

    // The process before was killed; its successor takes the row over.
    assertThat(restarted.beat("node-1", false, 0, ours).otherProcessWithThisName()).isFalse();
    assertThat(restarted.beat("node-1", false, 0, ours).otherProcessWithThisName()).isFalse();

    // A second live process started with the same name (a copied configuration).
    ClusterNodes copy = new ClusterNodes(jdbc, Clock.systemUTC(), Duration.ofSeconds(5));
    assertThat(copy.beat("node-1", false, 0, ours).otherProcessWithThisName()).isFalse();
    assertThat(restarted.beat("node-1", false, 0, ours).otherProcessWithThisName())
        .as("the row was written by another process since this one's last beat")
        .isTrue();
    assertThat(copy.beat("node-1", false, 0, ours).otherProcessWithThisName()).isTrue();
  }

  @Test
  void theMappingsDigest_changesWithAMappingFile_andTheSchemaIsTheNewestMigration()
      throws Exception {
    try (Stream<Path> mappings = Files.list(TestFiles.MAPPINGS)) {
      for (Path file : mappings.toList()) {
        Files.copy(file, folder.resolve(file.getFileName()));
      }
    }
    String before = NodeConfiguration.mappingsDigest(folder);
    assertThat(NodeConfiguration.mappingsDigest(TestFiles.MAPPINGS)).isEqualTo(before);

    Path one = folder.resolve("nordby-hjemmepleje.yaml");
    Files.writeString(one, Files.readString(one) + "\n# changed on one node\n");

    assertThat(NodeConfiguration.mappingsDigest(folder)).isNotEqualTo(before);
    assertThat(NodeConfiguration.newestMigration())
        .isEqualTo(newestMigrationIn(Path.of("src/main/resources/db/migration")));
  }

  private static String newestMigrationIn(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .map(p -> p.getFileName().toString())
          .map(name -> name.substring(1, name.indexOf("__")).replace('_', '.'))
          .max(NodeConfiguration::compareVersions)
          .orElseThrow();
    }
  }
}
