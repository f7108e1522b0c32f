package io.timberdb.ingest.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.limit.KeyBy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;

/** The properties' binding and the tenant a request claims. */
class RateLimitPropertiesTest {

    static RateLimitProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("timberdb.ingest.rate-limit", Bindable.of(RateLimitProperties.class));
    }

    @Test
    void bindsTheDefaultsAndOverridesMemberByMember() {
        RateLimitProperties defaults = bind(Map.of());
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.keyBy()).isEqualTo(KeyBy.TENANT);
        assertThat(defaults.limitsOf("anyone")).isEqualTo(new RateLimitProperties.Limits(60_000L, 2_000L,
                DataSize.ofMegabytes(64), DataSize.ofMegabytes(256)));

        RateLimitProperties props = bind(Map.of("timberdb.ingest.rate-limit.key-by", "ip",
                "timberdb.ingest.rate-limit.overrides.acme.burst", "7",
                "timberdb.ingest.rate-limit.overrides.acme.bytes-per-second", "1MB"));
        assertThat(props.keyBy()).isEqualTo(KeyBy.IP);
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
}
