package io.timberdb.security.route;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The route table of every TimberDB process: who may call each route. The services' filter chains
 * are built from it, and the route matrix test checks that every route a running application
 * serves is classified here, so a new route cannot escape authentication unnoticed.
 *
 * <p>The first rule whose method and pattern match wins. A path no rule matches (a 404) needs an
 * authenticated caller, so unknown paths do not reveal which routes exist.
 *
 * <p>Thread-safety: immutable.
 */
public final class ApiRoutes {

    /**
     * One row of the table.
     *
     * @param methods the methods it covers; empty: every method
     * @param pattern a Spring path pattern
     * @param access who may call it
     */
    public record Rule(Set<HttpMethod> methods, String pattern, Access access) {

        /** Whether this rule covers a request. */
        public boolean matches(HttpMethod method, PathContainer path) {
            return (methods.isEmpty() || methods.contains(method)) && PATTERNS.get(pattern).matches(path);
        }
    }

    private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;
    private static final Set<HttpMethod> ANY = Set.of();
    private static final Set<HttpMethod> GET = Set.of(HttpMethod.GET);
    private static final Set<HttpMethod> POST = Set.of(HttpMethod.POST);
    private static final Set<HttpMethod> WRITE = Set.of(HttpMethod.POST, HttpMethod.PUT);
    private static final Access LOGS_WRITE = Access.anyOf(Scopes.LOGS_WRITE);
    private static final Access ADMIN = Access.anyOf(Scopes.ADMIN);

    /** The table, first match wins. */
    public static final List<Rule> RULES = List.of(
            // probes and Prometheus: no token
            new Rule(GET, "/health", Access.OPEN),
            new Rule(GET, "/actuator/health", Access.OPEN),
            new Rule(GET, "/actuator/health/**", Access.OPEN),
            new Rule(GET, "/actuator/prometheus", Access.OPEN),
            // the other actuator endpoints (info, the links page) are operator business
            new Rule(ANY, "/actuator", ADMIN),
            new Rule(ANY, "/actuator/**", ADMIN),
            // service to service: untouched by user tokens until part 2 adds a cluster credential
            new Rule(ANY, "/internal/**", Access.INTERNAL),
            // ingest: the native API, Loki, OTLP/HTTP, and the Elasticsearch bulk API with the two
            // probes its clients send before a bulk
            new Rule(POST, "/api/v1/partitions/{partition}/logs", LOGS_WRITE),
            new Rule(POST, "/loki/api/v1/push", LOGS_WRITE),
            new Rule(POST, "/v1/logs", LOGS_WRITE),
            new Rule(WRITE, "/_bulk", LOGS_WRITE),
            new Rule(WRITE, "/{index}/_bulk", LOGS_WRITE),
            new Rule(GET, "/", LOGS_WRITE),
            new Rule(GET, "/_license", LOGS_WRITE),
            // queries
            new Rule(ANY, "/api/v1/query", Access.anyOf(Scopes.LOGS_READ)),
            new Rule(ANY, "/api/v1/query/**", Access.anyOf(Scopes.LOGS_READ)),
            // partitions: reading them is needed to read or write logs; changing them is admin
            new Rule(GET, "/api/v1/partitions", Access.anyOf(Scopes.ADMIN, Scopes.LOGS_READ, Scopes.LOGS_WRITE)),
            new Rule(GET, "/api/v1/partitions/{partition}",
                    Access.anyOf(Scopes.ADMIN, Scopes.LOGS_READ, Scopes.LOGS_WRITE)),
            new Rule(ANY, "/api/v1/partitions", ADMIN),
            new Rule(ANY, "/api/v1/partitions/**", ADMIN),
            new Rule(ANY, "/api/v1/cluster", ADMIN));

    // parsed once: the chain classifies every request
    private static final Map<String, PathPattern> PATTERNS = RULES.stream().map(Rule::pattern).distinct()
            .collect(Collectors.toUnmodifiableMap(p -> p, PARSER::parse));

    private ApiRoutes() {
    }

    /** The access of a request, or empty when no rule matches it. */
    public static Optional<Access> classify(HttpMethod method, String path) {
        return classify(method, PathContainer.parsePath(path));
    }

    /** The access of a request, or empty when no rule matches it. */
    public static Optional<Access> classify(HttpMethod method, PathContainer container) {
        return RULES.stream().filter(rule -> rule.matches(method, container)).map(Rule::access).findFirst();
    }
}
