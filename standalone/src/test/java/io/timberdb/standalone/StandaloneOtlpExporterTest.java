package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;

/**
 * The OpenTelemetry Java SDK's OTLP/HTTP log exporter (protobuf, gzip, over the JDK HttpClient)
 * against the standalone on a real port: what it exports is stored and queryable as the OTLP
 * route maps it.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StandaloneOtlpExporterTest extends StandaloneContext {

    static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
    static final String SPAN_ID = "eee19b7ec3c1b174";

    @Value("${local.server.port}")
    int port;

    @Test
    void theSdkExporterShipsLogRecordsThatAreStoredAndQueryable() {
        awaitHealthy();
        http.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"otel\"}").exchange().expectStatus().isCreated();

        OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
                .setEndpoint("http://127.0.0.1:" + port + "/v1/logs").setCompression("gzip").build();
        SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout",
                        AttributeKey.stringKey("deployment.environment"), "test")))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build();
        try {
            Logger logger = provider.loggerBuilder("io.example.Checkout").setInstrumentationVersion("1.2.0").build();
            Context traced = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()))
                    .storeInContext(Context.root());
            logger.logRecordBuilder().setTimestamp(Instant.parse("2026-11-26T10:30:00.123456789Z"))
                    .setSeverity(Severity.ERROR).setBody("payment failed").setContext(traced)
                    .setAttribute(AttributeKey.longKey("order.id"), 42L).emit();
            logger.logRecordBuilder().setTimestamp(Instant.parse("2026-11-26T10:30:01Z"))
                    .setSeverity(Severity.INFO).setBody("order placed").emit();
            CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(flushed.isSuccess()).as("the exporter's flush succeeded").isTrue();
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }

        http.post().uri("/api/v1/query/execute").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filter\":{},\"partitions\":[\"otel\"]}").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.matched_entries").isEqualTo(2)
                .jsonPath("$.entries[?(@.message == 'payment failed')].source").isEqualTo("checkout")
                .jsonPath("$.entries[?(@.message == 'payment failed')].timestamp").isEqualTo("2026-11-26T10:30:00.123456789Z")
                .jsonPath("$.entries[?(@.message == 'payment failed')].tags.level").isEqualTo("error")
                .jsonPath("$.entries[?(@.message == 'payment failed')].tags.trace_id").isEqualTo(TRACE_ID)
                .jsonPath("$.entries[?(@.message == 'payment failed')].tags.span_id").isEqualTo(SPAN_ID)
                .jsonPath("$.entries[?(@.message == 'payment failed')].tags['order.id']").isEqualTo("42")
                .jsonPath("$.entries[?(@.message == 'payment failed')].tags['otel.scope.version']").isEqualTo("1.2.0")
                .jsonPath("$.entries[?(@.message == 'order placed')].tags.level").isEqualTo("info");
    }
}
