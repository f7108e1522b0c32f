package io.timberdb.ingest.syslog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.timberdb.ingest.route.EntryRouter;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The syslog listeners, imported by the ingest service and by the standalone process alike (both
 * provide the {@code EntryRouter} they write through). They listen only where
 * {@code timberdb.ingest.syslog.tcp.enabled} / {@code udp.enabled} say.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SyslogProperties.class)
public class SyslogConfiguration {

    @Bean
    SyslogServer syslogServer(SyslogProperties props, EntryRouter router, InstantSource clock,
                              ObjectProvider<MeterRegistry> metrics) {
        return new SyslogServer(props, router, clock, metrics.getIfAvailable(SimpleMeterRegistry::new));
    }
}
