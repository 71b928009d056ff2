package dk.sektorbro.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The training run of {@code bin/sektorbro cds} (docs/operations.md, "Start-up time"): the gateway
 * starts as far as ready, on a throw-away data folder, then stops cleanly and exits, so that the
 * JVM's {@code -XX:DumpLoadedClassList} lists every class a start loads, which the script then
 * writes into the class data sharing archive ({@code -Xshare:dump}). Spring's own {@code
 * -Dspring.context.exit=onRefresh} halts the JVM without its shutdown, which would leave the
 * embedded PostgreSQL running, and stops before Tomcat and Camel start, whose classes a real start
 * loads too.
 */
@Component
@ConditionalOnProperty("sektorbro.archive-training-run")
class ArchiveTrainingRun implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger log = LoggerFactory.getLogger(ArchiveTrainingRun.class);

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    log.info("archive training run: ready, stopping");
    System.exit(SpringApplication.exit(event.getApplicationContext()));
  }
}
