package io.timberdb.standalone.loki4j;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.status.Status;
import com.github.loki4j.logback.Loki4jAppender;
import com.github.loki4j.logback.PipelineConfigAppenderBase.HttpCfg;
import com.github.loki4j.slf4j.marker.LabelMarker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.event.KeyValuePair;

/**
 * Runs inside {@link Loki4jClient}'s class loader: configures a loki4j {@link Loki4jAppender} on a
 * Logback {@link LoggerContext} of its own (not the test's logging), appends the events it is
 * given, stops the appender (which sends what it still holds) and answers the context's warnings
 * and errors (a refused push shows there: loki4j drops the batch and reports it).
 *
 * <p>Only JDK types cross the class-loader boundary: the request is a map with {@code url},
 * {@code protobuf} (Boolean), {@code tenant} (may be absent), {@code labels} and
 * {@code metadata} (the appender's label and structured-metadata patterns) and {@code events}, a
 * list of maps with {@code time} (Instant), {@code level}, {@code message}, {@code labels} (a
 * {@link LabelMarker}'s pairs), {@code mdc} and {@code kv} (string maps).
 *
 * <p>One call per instance; not thread-safe.
 */
public final class Loki4jShipper implements Function<Map<String, Object>, List<String>> {

    @Override
    @SuppressWarnings("unchecked")
    public List<String> apply(Map<String, Object> request) {
        LoggerContext context = new LoggerContext();
        context.setName("loki4j-client");
        context.start();
        Loki4jAppender appender = new Loki4jAppender();
        appender.setContext(context);
        appender.setName("loki");
        appender.setLabels((String) request.get("labels"));
        appender.setStructuredMetadata((String) request.get("metadata"));
        appender.setReadMarkers(true);
        PatternLayout message = new PatternLayout();
        message.setContext(context);
        message.setPattern("%msg");
        message.start();
        appender.setMessage(message);
        HttpCfg http = new HttpCfg();
        http.setUrl((String) request.get("url"));
        http.setUseProtobufApi((Boolean) request.get("protobuf"));
        if (request.get("tenant") != null) {
            http.setTenantId((String) request.get("tenant"));
        }
        appender.setHttp(http);
        appender.start();

        Logger logger = context.getLogger("io.example.Checkout");
        for (Map<String, Object> e : (List<Map<String, Object>>) request.get("events")) {
            LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.toLevel((String) e.get("level")),
                    (String) e.get("message"), null, null);
            event.setInstant((Instant) e.get("time"));
            event.setThreadName("worker-1");
            event.setMDCPropertyMap((Map<String, String>) e.get("mdc"));
            ((Map<String, String>) e.get("kv")).forEach((k, v) -> event.addKeyValuePair(new KeyValuePair(k, v)));
            Map<String, String> labels = (Map<String, String>) e.get("labels");
            if (!labels.isEmpty()) {
                event.addMarker(LabelMarker.of(() -> labels));
            }
            appender.doAppend(event);
        }
        // stop() drains: it encodes and sends every batch still queued before it returns
        appender.stop();
        context.stop();

        List<String> problems = new ArrayList<>();
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            if (status.getLevel() >= Status.WARN) {
                problems.add(status.getMessage() + (status.getThrowable() == null ? "" : ": " + status.getThrowable()));
            }
        }
        return problems;
    }
}
