package io.timberdb.ingest.elastic;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Adds {@code X-Elastic-Product: Elasticsearch} to every answer of the Elasticsearch API, errors
 * included: the official clients (Java, Python, Go, 8.x) refuse a server whose answers lack it.
 * It is added as the answer is committed, so that an error handler's answer carries it too.
 *
 * <p>Thread-safe: stateless.
 */
final class ElasticProductHeader implements WebFilter {

    static final String NAME = "X-Elastic-Product";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.equals("/") || path.equals("/_license") || path.endsWith("/_bulk")) {
            exchange.getResponse().beforeCommit(() -> {
                exchange.getResponse().getHeaders().set(NAME, "Elasticsearch");
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }
}
