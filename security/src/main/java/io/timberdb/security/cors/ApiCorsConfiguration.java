package io.timberdb.security.cors;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers {@link ApiCorsFilter}. Not auto-configured: imported by the processes that answer
 * browsers directly (the gateway and the standalone), not by the services behind the gateway.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CorsProperties.class)
public class ApiCorsConfiguration {

    @Bean
    ApiCorsFilter apiCorsFilter(CorsProperties props) {
        return new ApiCorsFilter(props);
    }
}
