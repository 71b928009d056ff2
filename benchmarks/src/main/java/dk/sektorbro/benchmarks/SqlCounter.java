package dk.sektorbro.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Counts, by pipeline stage (the calling thread, as {@link ThreadCpu#stage}), the JDBC work the
 * gateway does: connection checkouts, statements executed and explicit commits. It wraps the
 * gateway's DataSource bean, so it sees every statement of the journal, the schedule and the
 * registries, whatever issues them.
 */
final class SqlCounter implements BeanPostProcessor {

  static final String[] KINDS = {"statements", "commits", "connections"};

  private final Map<String, LongAdder[]> byStage = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byStatement = new ConcurrentHashMap<>();
  private final Map<String, String> shortened = new ConcurrentHashMap<>();

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof DataSource dataSource && "dataSource".equals(beanName)) {
      return new Counting(dataSource);
    }
    return bean;
  }

  /** A copy of the counts now, by stage, then kind. */
  Map<String, long[]> snapshot() {
    Map<String, long[]> copy = new LinkedHashMap<>();
    byStage.forEach(
        (stage, adders) -> {
          long[] values = new long[KINDS.length];
          for (int i = 0; i < values.length; i++) {
            values[i] = adders[i].sum();
          }
          copy.put(stage, values);
        });
    return copy;
  }

  /** Executions by stage and statement text (shortened), most frequent first. */
  Map<String, Long> statements() {
    Map<String, Long> sorted = new LinkedHashMap<>();
    byStatement.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue().sum()));
    return sorted;
  }

  private void countStatement(String sql) {
    String text = shortened.computeIfAbsent(sql == null ? "?" : sql, SqlCounter::shorten);
    String key = ThreadCpu.stage(Thread.currentThread().getName()) + " | " + text;
    byStatement.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  private static String shorten(String sql) {
    String text = sql.replaceAll("\\s+", " ").trim();
    return text.length() > 110 ? text.substring(0, 110) : text;
  }

  private void count(int kind) {
    byStage
        .computeIfAbsent(
            ThreadCpu.stage(Thread.currentThread().getName()),
            s -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()})[kind]
        .increment();
  }

  /** The pool behind it still does the pooling; this only counts. */
  private final class Counting extends DelegatingDataSource implements AutoCloseable {

    Counting(DataSource target) {
      super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
      count(2);
      return wrap(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      count(2);
      return wrap(super.getConnection(username, password));
    }

    @Override
    public void close() throws Exception {
      if (getTargetDataSource() instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }

    private Connection wrap(Connection connection) {
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              new Handler(connection, null));
    }
  }

  private final class Handler implements InvocationHandler {
    private final Object target;
    private final String sql;

    Handler(Object target, String sql) {
      this.target = target;
      this.sql = sql;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.startsWith("execute")) {
        count(0);
        countStatement(args != null && args.length > 0 && args[0] instanceof String s ? s : sql);
      } else if (name.equals("commit")) {
        count(1);
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      Class<?> type = method.getReturnType();
      if (result != null && type.isInterface() && Statement.class.isAssignableFrom(type)) {
        return Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            new Handler(
                result, args != null && args.length > 0 && args[0] instanceof String s ? s : null));
      }
      return result;
    }
  }
}
