package io.timberdb.security.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The spec's {@code [api]} CORS defaults, and the one combination refused at startup. */
class CorsPropertiesTest {

    @Test
    void defaultsAreTheSpecs() {
        CorsProperties props = bind(new MapConfigurationPropertySource());
        assertThat(props.enabled()).isTrue();
        assertThat(props.origins()).containsExactly("*");
        assertThat(props.methods()).containsExactly("GET", "POST", "PUT", "DELETE", "OPTIONS");
        assertThat(props.headers()).containsExactly("Content-Type", "Authorization", "X-Requested-With");
        assertThat(props.credentials()).isFalse();
        assertThat(props.maxAge()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void credentialsWithAnyOriginAreRefusedNamingTheProperties() {
        assertThatThrownBy(() -> new CorsProperties(true, List.of("*"), List.of("GET"), List.of("*"), true, Duration.ZERO))
                .hasMessageContaining("timberdb.api.cors.credentials").hasMessageContaining("timberdb.api.cors.origins");
        assertThat(new CorsProperties(true, List.of("https://ui.example.com"), List.of("GET"), List.of("*"), true,
                Duration.ZERO).credentials()).isTrue();
    }

    private static CorsProperties bind(MapConfigurationPropertySource source) {
        return new Binder(source).bindOrCreate("timberdb.api.cors", Bindable.of(CorsProperties.class));
    }
}
