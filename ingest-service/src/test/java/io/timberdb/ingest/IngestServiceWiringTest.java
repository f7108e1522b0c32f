package io.timberdb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.ingest.route.ResilienceProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The ingest service's context: the write path's resilience settings bind from
 * {@code timberdb.ingest.*}, and the Resilience4j meters are bound to the service's own registry
 * (the one {@code /actuator/prometheus} renders). No coordinator answers: the view stays empty.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "timberdb.coordinators=http://127.0.0.1:9",
        "timberdb.ingest.write-timeout=12s",
        "timberdb.ingest.resilience.max-concurrent-appends=7",
        "timberdb.ingest.resilience.breaker-open-wait=9s"})
class IngestServiceWiringTest {

    @Autowired
    MeterRegistry metrics;
    @Autowired
    ResilienceProperties resilience;
    @Autowired
    IngestServiceConfiguration.IngestProperties ingest;

    @Test
    void bindsTheResilienceSettingsAndPublishesTheRetryOnTheServicesRegistry() {
        assertThat(ingest.writeTimeout()).isEqualTo(Duration.ofSeconds(12));
        ResilienceProperties d = ResilienceProperties.defaults();
        assertThat(resilience).isEqualTo(new ResilienceProperties(d.attemptTimeout(), d.maxAttempts(),
                d.initialBackoff(), d.backoffMultiplier(), d.maxBackoff(), d.jitter(), d.breakerFailureRate(),
                d.breakerWindow(), d.breakerMinimumCalls(), Duration.ofSeconds(9), d.breakerHalfOpenCalls(), 7));
        assertThat(metrics.find("resilience4j.retry.calls").tag("name", "storage-append").meters()).isNotEmpty();
    }
}
