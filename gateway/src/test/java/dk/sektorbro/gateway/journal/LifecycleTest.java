package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle table is the README's "Journal states" table, and the journal refuses what it
 * lacks.
 */
class LifecycleTest {

  private static final Pattern ROW =
      Pattern.compile("^\\| `([A-Z_]+)` \\| .* \\| ([^|]*) \\|$", Pattern.MULTILINE);
  private static final Pattern STATE = Pattern.compile("`([A-Z_]+)`");

  @Test
  void readmeStateTable_equalsTheEnforcedLifecycle() throws IOException {
    String readme = Files.readString(GatewayIntegrationTest.REPO.resolve("README.md"));
    int start = readme.indexOf("### Journal states");
    String section = readme.substring(start, readme.indexOf("\n### ", start + 1));
    Map<MessageState, Set<MessageState>> documented = new EnumMap<>(MessageState.class);
    Matcher row = ROW.matcher(section);
    while (row.find()) {
      Set<MessageState> next = EnumSet.noneOf(MessageState.class);
      Matcher state = STATE.matcher(row.group(2));
      while (state.find()) {
        next.add(MessageState.valueOf(state.group(1)));
      }
      documented.put(MessageState.valueOf(row.group(1)), next);
    }
    assertThat(documented.keySet())
        .as("every state has a row")
        .containsExactlyInAnyOrder(MessageState.values());
    for (MessageState s : MessageState.values()) {
      assertThat(documented.get(s)).as("README: %s may move to", s).isEqualTo(Lifecycle.next(s));
    }
  }

  @Test
  void terminalStates_areTheOnesNothingLeaves() {
    assertThat(Arrays.stream(MessageState.values()).filter(Lifecycle::isTerminal))
        .containsExactlyInAnyOrder(
            MessageState.ACKNOWLEDGED, MessageState.EXPIRED, MessageState.DISCARDED);
  }

  @Test
  void unfinishedStates_canAlwaysFailOrBeQuarantined() {
    for (MessageState s : MessageState.UNFINISHED) {
      assertThat(Lifecycle.next(s))
          .as("%s", s)
          .contains(MessageState.FAILED, MessageState.QUARANTINED);
    }
  }

  @Test
  void check_refusesAMoveNotInTheTable_namingIt() {
    assertThatThrownBy(
            () ->
                Lifecycle.check(
                    List.of(MessageState.SENT, MessageState.ACKNOWLEDGED), MessageState.FAILED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ACKNOWLEDGED -> FAILED");
    assertThatThrownBy(() -> Lifecycle.check(List.of(MessageState.HELD_ADDRESS), MessageState.SENT))
        .hasMessageContaining("HELD_ADDRESS -> SENT");
    Lifecycle.check(List.of(MessageState.SENT, MessageState.RETRYING), MessageState.ACKNOWLEDGED);
  }
}
