package io.timberdb.security.cors;

import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * The CORS policy of {@link CorsProperties} on every route of the process that serves the public
 * API to browsers (the gateway in a cluster, the standalone), ahead of every other filter: a
 * pre-flight ({@code OPTIONS} with {@code Access-Control-Request-Method}) is answered here
 * without a token (browsers never send one with it) and goes no further, and the headers of an
 * actual cross-origin request are set before authentication, so that a browser can read a 401 or
 * 403 too. A pre-flight for a disallowed origin, method or header is 403 without CORS headers.
 *
 * <p>The services behind the gateway do not register it: the gateway copies their response
 * headers, and a second {@code Access-Control-Allow-Origin} makes browsers refuse the answer.
 *
 * <p>Thread-safety: immutable after construction.
 */
public final class ApiCorsFilter extends CorsWebFilter implements Ordered {

    /** Before Spring Security's filter chain ({@code -100}) and every TimberDB filter. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    public ApiCorsFilter(CorsProperties props) {
        super(source(props));
    }

    private static UrlBasedCorsConfigurationSource source(CorsProperties props) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (props.enabled()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(props.origins());
            cors.setAllowedMethods(props.methods());
            cors.setAllowedHeaders(props.headers());
            cors.setAllowCredentials(props.credentials());
            cors.setMaxAge(props.maxAge());
            source.registerCorsConfiguration("/**", cors);
        }
        return source;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
