package io.timberdb.model.limit;

import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The routes a rate limiter applies to, read from the handler mappings rather than listed: every
 * request mapping a predicate accepts (the ingest limiter's: the write mappings of the controllers
 * in {@code io.timberdb.ingest}; the query limiter's: every mapping of those in
 * {@code io.timberdb.query}). A route added to those controllers later is limited without being
 * named anywhere.
 *
 * <p>Read on the first request, not when the filter is made: the mappings are filled after the
 * filters are built. Thread-safe: the routes, once read, are an immutable map behind a
 * {@code volatile} field.
 */
public final class HandlerRoutes {

    /**
     * A request matched to a route.
     *
     * @param variables the path's variables
     */
    public record Match(RequestMappingInfo route, HandlerMethod handler, Map<String, String> variables) {
    }

    private final Supplier<List<RequestMappingHandlerMapping>> mappings;
    private final BiPredicate<RequestMappingInfo, HandlerMethod> limited;
    /** Read on the first use: the mappings are filled after the filters holding this are made. */
    private volatile Map<RequestMappingInfo, HandlerMethod> routes;

    private HandlerRoutes(Supplier<List<RequestMappingHandlerMapping>> mappings,
                          BiPredicate<RequestMappingInfo, HandlerMethod> limited) {
        this.mappings = mappings;
        this.limited = limited;
    }

    /**
     * The routes among the {@code mappings}' (the application's, the actuator's) that
     * {@code limited} accepts, read when first used.
     */
    public static HandlerRoutes of(Supplier<List<RequestMappingHandlerMapping>> mappings,
                                   BiPredicate<RequestMappingInfo, HandlerMethod> limited) {
        return new HandlerRoutes(mappings, limited);
    }

    /** Whether {@code handler}'s controller is in {@code pkg} or below. */
    public static boolean inPackage(HandlerMethod handler, String pkg) {
        return handler.getBeanType().getName().startsWith(pkg + ".");
    }

    /** The routes. */
    public Map<RequestMappingInfo, HandlerMethod> routes() {
        Map<RequestMappingInfo, HandlerMethod> known = routes;
        if (known == null) {
            // racing first requests read the same mappings and store equal maps
            known = mappings.get().stream()
                    .flatMap(mapping -> mapping.getHandlerMethods().entrySet().stream())
                    .filter(e -> limited.test(e.getKey(), e.getValue()))
                    .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
            routes = known;
        }
        return known;
    }

    /**
     * The route {@code exchange} is for (by path and method), or null when it is for none. A CORS
     * pre-flight ({@code OPTIONS}) is for none: it runs nothing.
     */
    public Match match(ServerWebExchange exchange) {
        if (HttpMethod.OPTIONS.equals(exchange.getRequest().getMethod())) {
            return null;
        }
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : routes().entrySet()) {
            RequestMappingInfo route = entry.getKey();
            if (route.getMethodsCondition().getMatchingCondition(exchange) == null) {
                continue;
            }
            for (PathPattern pattern : route.getPatternsCondition().getPatterns()) {
                PathPattern.PathMatchInfo found = pattern.matchAndExtract(
                        exchange.getRequest().getPath().pathWithinApplication());
                if (found != null) {
                    return new Match(route, entry.getValue(), found.getUriVariables());
                }
            }
        }
        return null;
    }
}
