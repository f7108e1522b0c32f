package io.timberdb.ingest.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;

/** The buckets' memory bound, the properties' binding, the tenant a request claims and the metric's tag cap. */
class KeyBucketsTest {

    final IngestRoutesContext.TestClock clock = new IngestRoutesContext.TestClock();

    static RateLimitProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("timberdb.ingest.rate-limit", Bindable.of(RateLimitProperties.class));
    }

    @Test
    void keepsAtMostMaxKeysAndDropsIdleOnesWhichComeBackFull() {
        KeyBuckets buckets = new KeyBuckets(bind(Map.of("timberdb.ingest.rate-limit.max-keys", "100",
                "timberdb.ingest.rate-limit.idle-eviction", "10m", "timberdb.ingest.rate-limit.burst", "5")), clock);
        for (int i = 0; i < 10_000; i++) {
            buckets.of("made-up-" + i).requests().take(1, buckets.now());
        }
        assertThat(buckets.size()).isLessThanOrEqualTo(100);

        buckets.of("acme").requests().take(5, buckets.now());
        assertThat(buckets.of("acme").requests().available(buckets.now())).isZero();
        clock.advance(Duration.ofMinutes(11));
        assertThat(buckets.size()).as("every key idle past idle-eviction is dropped").isZero();
        assertThat(buckets.of("acme").requests().available(buckets.now())).isEqualTo(5);
    }

    @Test
    void bindsTheDefaultsAndOverridesMemberByMember() {
        RateLimitProperties defaults = bind(Map.of());
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.keyBy()).isEqualTo(RateLimitProperties.KeyBy.TENANT);
        assertThat(defaults.limitsOf("anyone")).isEqualTo(new RateLimitProperties.Limits(60_000L, 2_000L,
                DataSize.ofMegabytes(64), DataSize.ofMegabytes(256)));

        RateLimitProperties props = bind(Map.of("timberdb.ingest.rate-limit.key-by", "ip",
                "timberdb.ingest.rate-limit.overrides.acme.burst", "7",
                "timberdb.ingest.rate-limit.overrides.acme.bytes-per-second", "1MB"));
        assertThat(props.keyBy()).isEqualTo(RateLimitProperties.KeyBy.IP);
        RateLimitProperties.Limits acme = props.limitsOf("acme");
        assertThat(acme.burst()).isEqualTo(7);
        assertThat(acme.bytesPerSecond().toMegabytes()).isEqualTo(1);
        assertThat(acme.requestsPerMinute()).as("left to the default").isEqualTo(60_000);
    }

    @Test
    void refusesByteLimitsOutsideOneByteTo8GbAtBinding() {
        assertThatThrownBy(() -> bind(Map.of("timberdb.ingest.rate-limit.burst-bytes", "16GB")))
                .hasRootCauseMessage("timberdb.ingest.rate-limit.burst-bytes must be from 1 byte to 8GB, not 17179869184B");
        assertThatThrownBy(() -> bind(Map.of("timberdb.ingest.rate-limit.overrides.acme.bytes-per-second", "0B")))
                .hasRootCauseMessage("timberdb.ingest.rate-limit.overrides.acme.bytes-per-second must be from 1 byte to 8GB, not 0B");
    }

    @Test
    void theClaimedTenantIsTheOrgIdHeaderElseThePartitionsElseDefault() {
        ClusterViewSource view = ClusterViewSource.fixed(new ClusterView(1, null, List.of(),
                List.of(IngestRoutesContext.partition("acme-logs", "acme"), IngestRoutesContext.partition("logs", null))));
        PartitionTenantResolver resolver = new PartitionTenantResolver(view);
        var plain = MockServerWebExchange.from(MockServerHttpRequest.post("/"));
        var withHeader = MockServerWebExchange.from(MockServerHttpRequest.post("/").header("X-Scope-OrgID", " team-a "));
        assertThat(resolver.tenant(withHeader, "acme-logs").block()).isEqualTo("team-a");
        assertThat(resolver.tenant(plain, "acme-logs").block()).isEqualTo("acme");
        assertThat(resolver.tenant(plain, "p-acme-logs").block()).as("by id too").isEqualTo("acme");
        assertThat(resolver.tenant(plain, "logs").block()).isEqualTo("default");
        assertThat(resolver.tenant(plain, "no-such-partition").block()).isEqualTo("default");
        assertThat(resolver.tenant(plain, null).block()).isEqualTo("default");
    }

    @Test
    void theThrottlingMetricNamesAtMostMaxTenantTagsTenants() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ThrottleMetrics metrics = new ThrottleMetrics(registry, 3);
        for (int i = 0; i < 50; i++) {
            metrics.throttled("tenant-" + i, "requests");
        }
        metrics.throttled("tenant-1", "bytes");
        assertThat(registry.find(ThrottleMetrics.NAME).counters()).hasSize(5); // three named, other, tenant-1's bytes
        assertThat(registry.get(ThrottleMetrics.NAME).tag("tenant", ThrottleMetrics.OTHER).counter().count()).isEqualTo(47);
        assertThat(registry.get(ThrottleMetrics.NAME).tag("tenant", "tenant-1").tag("limit", "bytes").counter().count())
                .isEqualTo(1);
    }
}
