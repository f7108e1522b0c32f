package io.timberdb.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.security.audit.AuditLog;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

class ForwardedWriteFilterTest {

    private ContextView contextOf(MockServerHttpRequest request) {
        AtomicReference<ContextView> seen = new AtomicReference<>();
        new ForwardedWriteFilter().filter(MockServerWebExchange.from(request),
                exchange -> Mono.deferContextual(context -> {
                    seen.set(context);
                    return Mono.empty();
                })).block();
        return seen.get();
    }

    @Test
    void theCallersTenantHeadersAreKeptForTheForwarderAndAForwardedWriteIsNotAuditedAgain() {
        ContextView direct = contextOf(MockServerHttpRequest.delete("/api/v1/partitions/web")
                .header("X-Scope-OrgID", "team-a").header(HttpHeaders.AUTHORIZATION, "Bearer t").build());
        assertThat(direct.<Map<String, String>>get(LeaderForwarder.CALLER_HEADERS_KEY))
                .containsExactlyInAnyOrderEntriesOf(Map.of("X-Scope-OrgID", "team-a", HttpHeaders.AUTHORIZATION, "Bearer t"));
        assertThat(direct.hasKey(AuditLog.RECORDED_ELSEWHERE_KEY)).isFalse();

        ContextView forwarded = contextOf(MockServerHttpRequest.delete("/api/v1/partitions/p-1")
                .header(LeaderForwarder.FORWARDED_HEADER, "coordinator-2").build());
        assertThat(forwarded.<String>get(AuditLog.RECORDED_ELSEWHERE_KEY)).isEqualTo("coordinator-2");
        assertThat(forwarded.hasKey(LeaderForwarder.CALLER_HEADERS_KEY)).isFalse();
    }
}
