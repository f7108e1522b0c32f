package io.timberdb.ingest.limit;

import io.timberdb.model.limit.HandlerRoutes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * The ingest routes, read from the handler mapping rather than listed: every request mapping of a
 * controller in {@code io.timberdb.ingest} (or below) that takes {@code POST} or {@code PUT}. A new
 * write route of any protocol is therefore limited without being named here; the read-only probes
 * ({@code GET /}, {@code GET /_license}) and every other module's routes (the standalone's query
 * and partition APIs) are not.
 *
 * <p>Thread-safe: {@link HandlerRoutes} is.
 */
final class IngestRoutes {

    static final String PACKAGE = "io.timberdb.ingest";
    private static final Set<RequestMethod> WRITES = Set.of(RequestMethod.POST, RequestMethod.PUT);
    /** The path variables that name the target partition: the native API's and Elasticsearch's index. */
    private static final List<String> PARTITION_VARIABLES = List.of("partition", "index");
    /** The header the agent routes (Loki, OTLP) take the partition from. */
    static final String PARTITION_HEADER = "X-TimberDB-Partition";

    /**
     * A request matched to an ingest route.
     *
     * @param snappyBlocks whether the route's non-JSON bodies are snappy blocks ({@link SnappyBlockBody})
     */
    record Match(RequestMappingInfo route, String partition, boolean snappyBlocks) {
    }

    private final HandlerRoutes routes;

    private IngestRoutes(HandlerRoutes routes) {
        this.routes = routes;
    }

    /** The ingest routes among the {@code mappings}' (the application's, the actuator's), read when first used. */
    static IngestRoutes of(Supplier<List<RequestMappingHandlerMapping>> mappings) {
        return new IngestRoutes(HandlerRoutes.of(mappings, IngestRoutes::isIngest));
    }

    /** Whether a mapping is an ingest route. */
    static boolean isIngest(RequestMappingInfo info, HandlerMethod handler) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        return HandlerRoutes.inPackage(handler, PACKAGE)
                && (methods.isEmpty() || methods.stream().anyMatch(WRITES::contains));
    }

    Set<RequestMappingInfo> routes() {
        return routes.routes().keySet();
    }

    /**
     * The ingest route {@code exchange} is for (by path and method), or null when it is for none.
     * A CORS pre-flight ({@code OPTIONS}) is for none: it sends no entries.
     */
    Match match(ServerWebExchange exchange) {
        HandlerRoutes.Match found = routes.match(exchange);
        return found == null ? null : new Match(found.route(),
                partition(found.variables(), exchange.getRequest().getHeaders()),
                found.handler().hasMethodAnnotation(SnappyBlockBody.class));
    }

    private static String partition(Map<String, String> variables, HttpHeaders headers) {
        for (String name : PARTITION_VARIABLES) {
            String value = variables.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        String header = headers.getFirst(PARTITION_HEADER);
        return header == null || header.isBlank() ? null : header.trim();
    }
}
