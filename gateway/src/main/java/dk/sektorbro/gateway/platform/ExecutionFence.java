package dk.sektorbro.gateway.platform;

import com.github.kagkarlsson.scheduler.task.Execution;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The fencing token of a run of the work engine (db-scheduler): the execution's version as the
 * engine's pick left it. Another node's revival of the execution (this node stalled past its
 * heartbeats) and its pick there each raise the version, and nothing lowers it, so a stalled run
 * that resumes finds its token no longer held and must send nothing (docs/cluster.md, "A stalled
 * node that resumes").
 */
public final class ExecutionFence {

  private ExecutionFence() {}

  /** This run's token; 0 for a run the engine did not pick (nothing to fence). */
  public static long token(Execution execution) {
    return execution.isPicked() ? execution.version : 0;
  }

  /**
   * SQL: true while the execution of {@code task} for the instance {@code :entry} still carries the
   * version {@code :holder} (the two named parameters the statement must bind).
   */
  public static String holds(String task) {
    return "EXISTS (SELECT 1 FROM scheduled_tasks h WHERE h.task_name = '"
        + task
        + "' AND h.task_instance = :entry AND h.version = :holder)";
  }

  /**
   * One statement: true while the execution of {@code task} for {@code instance} still carries
   * {@code token} (always for token 0). For a step with no statement of its own before it sends
   * (the last look before the write or POST); a step that fixes its bytes reads {@link #holds} in
   * that statement instead.
   */
  public static boolean held(JdbcClient jdbc, String task, String instance, long token) {
    if (token == 0) {
      return true;
    }
    return jdbc.sql("SELECT " + holds(task))
        .param("entry", instance)
        .param("holder", token)
        .query(Boolean.class)
        .single();
  }
}
