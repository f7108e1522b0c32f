package io.timberdb.security.cors;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cross-origin access to the public API from browsers ({@code timberdb.api.cors.*}, the spec's
 * {@code [api]} {@code enable_cors}, {@code cors_origins}, {@code cors_methods},
 * {@code cors_headers}, {@code cors_credentials}, {@code cors_max_age}, with its defaults).
 *
 * @param enabled whether cross-origin requests are answered at all (off: no CORS header is ever
 *        sent, and browsers refuse cross-origin reads)
 * @param origins the origins allowed ({@code *}: any), e.g. {@code https://ui.example.com}
 * @param methods the methods a cross-origin request may use
 * @param headers the request headers it may send ({@code *}: any)
 * @param credentials whether a browser may send cookies or HTTP authentication with it; the API
 *        authenticates by bearer token, which needs no such thing. Not with {@code origins: *}
 * @param maxAge how long a browser may cache a pre-flight's answer (0 to 1 day)
 */
@Validated
@ConfigurationProperties("timberdb.api.cors")
public record CorsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("*") @NotNull List<String> origins,
        @DefaultValue({"GET", "POST", "PUT", "DELETE", "OPTIONS"}) @NotNull List<String> methods,
        @DefaultValue({"Content-Type", "Authorization", "X-Requested-With"}) @NotNull List<String> headers,
        @DefaultValue("false") boolean credentials,
        @DefaultValue("3600s") @NotNull @DurationMin(seconds = 0) @DurationMax(days = 1) Duration maxAge) {

    public CorsProperties {
        if (credentials && origins != null && origins.contains("*")) {
            // a browser would send its cookies for any site's page: refused at startup, not per request
            throw new IllegalArgumentException(
                    "timberdb.api.cors.credentials=true needs timberdb.api.cors.origins to list origins, not *");
        }
    }
}
