package io.timberdb.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.web.ClusterCredential;
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

    private static final String TOKEN = "forwarding-test-token";
    private static final String COMMAND_ID = "01a21850-1fcf-7000-b730-925c07fc6c88";

    private ContextView contextOf(MockServerHttpRequest request) {
        return contextOf(ClusterCredential.none(), request);
    }

    private ContextView contextOf(ClusterCredential credential, MockServerHttpRequest request) {
        AtomicReference<ContextView> seen = new AtomicReference<>();
        new ForwardedWriteFilter(credential).filter(MockServerWebExchange.from(request),
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

    @Test
    void withAClusterCredentialOnlyAVoterThatPresentsItForwards() {
        ClusterCredential credential = ClusterCredential.of(TOKEN);
        ContextView byClient = contextOf(credential, forwardedCreation("not-" + TOKEN));
        assertThat(byClient.hasKey(LeaderForwarder.FORWARDED_KEY)).isFalse();
        assertThat(byClient.hasKey(AuditLog.RECORDED_ELSEWHERE_KEY)).isFalse();
        assertThat(byClient.hasKey(LeaderForwarder.COMMAND_ID_KEY)).isFalse();

        ContextView byVoter = contextOf(credential, forwardedCreation(TOKEN));
        assertThat(byVoter.<String>get(LeaderForwarder.FORWARDED_KEY)).isEqualTo("coordinator-2");
        assertThat(byVoter.<String>get(AuditLog.RECORDED_ELSEWHERE_KEY)).isEqualTo("coordinator-2");
        assertThat(byVoter.<String>get(LeaderForwarder.COMMAND_ID_KEY)).isEqualTo(COMMAND_ID);
    }

    /** A creation marked as forwarded by coordinator-2, presenting {@code clusterToken}. */
    private static MockServerHttpRequest forwardedCreation(String clusterToken) {
        return MockServerHttpRequest.post("/api/v1/partitions/create")
                .header(LeaderForwarder.FORWARDED_HEADER, "coordinator-2")
                .header(LeaderForwarder.COMMAND_ID_HEADER, COMMAND_ID)
                .header(LeaderForwarder.COMMAND_TIME_HEADER, "2026-11-26T14:00:00Z")
                .header(ClusterCredential.HEADER, clusterToken).build();
    }
}
