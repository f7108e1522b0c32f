package io.timberdb.security.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.web.ClusterCredentialFilter;
import io.timberdb.security.tenant.CallerTenant;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

class AuditLogTest {

    private static final Instant NOW = Instant.parse("2026-11-26T14:00:00.123Z");

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private final AuditLog audit = new AuditLog(true, InstantSource.fixed(NOW));
    private final MockServerHttpRequest request = MockServerHttpRequest.delete("/api/v1/partitions/web")
            .remoteAddress(new InetSocketAddress("10.0.0.7", 50000)).build();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aRefusalByATokenHolderIsOneLineWithEveryField() {
        Jwt jwt = Jwt.withTokenValue("secret-token-value").header("alg", "RS256").subject("alice").claim("scope", "admin")
                .expiresAt(NOW.plusSeconds(60)).build();
        Mono<Void> work = Mono.error(new TimberException(ErrorCode.PARTITION_NOT_FOUND, "no partition"));

        assertThatThrownBy(() -> audit.tenantAction("partition.delete", "web", 204, request, work)
                        .contextWrite(ReactiveSecurityContextHolder.withAuthentication(new JwtAuthenticationToken(jwt)))
                        .block())
                .isInstanceOf(TimberException.class);

        assertThat(messages()).containsExactly("{\"time\":\"2026-11-26T14:00:00.123Z\",\"subject\":\"alice\",\"tenant\":\"default\","
                + "\"action\":\"partition.delete\",\"target\":\"web\",\"result\":{\"status\":404,\"code\":\"PARTITION_NOT_FOUND\"},"
                + "\"client\":\"10.0.0.7\"}");
    }

    @Test
    void aClusterCallerHasNoTenantAndSuccessHasNoCode() {
        assertThat(audit.clusterAction("node.drain", "storage-2", 200, request, Mono.just("drained"))
                .contextWrite(c -> c.put(ClusterCredentialFilter.CLUSTER_CALLER_KEY, Boolean.TRUE)).block())
                .isEqualTo("drained");

        assertThat(messages()).singleElement().asString().contains("\"subject\":\"cluster\"", "\"tenant\":null",
                "\"action\":\"node.drain\"", "\"result\":{\"status\":200}");
    }

    @Test
    void anAnonymousCallerOfTheHeadersTenantAndAWriteRecordedElsewhere() {
        assertThat(audit.tenantAction("partition.create", "web", 201, request, Mono.just(1))
                .contextWrite(c -> CallerTenant.withHeader(c, "team-a")).block()).isEqualTo(1);
        assertThat(audit.tenantAction("partition.create", "web", 201, request, Mono.just(1))
                .contextWrite(c -> c.put(AuditLog.RECORDED_ELSEWHERE_KEY, "coordinator-2")).block()).isEqualTo(1);
        new AuditLog(false, InstantSource.fixed(NOW)).tenantAction("query", "q", 200, request, Mono.just(1)).block();

        assertThat(messages()).singleElement().asString().contains("\"subject\":\"anonymous\"", "\"tenant\":\"team-a\"");
    }

    @Test
    void aClusterProcessActingForItsCallerRecordsTheTenantItNamesNotItsOwn() {
        AtomicReference<String> named = new AtomicReference<>();
        Mono<Integer> work = Mono.fromSupplier(() -> {
            named.set("acme"); // as a controller learns the tenant from the body it reads
            return 1;
        });

        assertThat(audit.tenantAction("partition.create", named::get, () -> "web", 200, request, work)
                .contextWrite(c -> CallerTenant.withHeader(c.put(ClusterCredentialFilter.CLUSTER_CALLER_KEY, Boolean.TRUE),
                        "team-a"))
                .block()).isEqualTo(1);

        assertThat(messages()).singleElement().asString().contains("\"subject\":\"cluster\"", "\"tenant\":\"acme\"",
                "\"action\":\"partition.create\"", "\"target\":\"web\"", "\"result\":{\"status\":200}");
    }
}
