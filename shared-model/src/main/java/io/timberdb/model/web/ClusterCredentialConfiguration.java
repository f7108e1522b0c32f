package io.timberdb.model.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The {@link ClusterCredential} of a cluster process, from {@code timberdb.security.cluster-token}
 * or {@code timberdb.security.cluster-token-file}, and the {@link ClusterCredentialFilter} that
 * requires it on the process's internal routes. Imported by the coordinator, the storage node and
 * the services that call them (ingest, query), whose internal clients send it; with it the
 * {@link InternalTls} those clients apply.
 */
@Configuration(proxyBeanMethods = false)
@Import(InternalTlsConfiguration.class)
public class ClusterCredentialConfiguration {

    @Bean
    ClusterCredential clusterCredential(Environment env) {
        return ClusterCredential.from(env);
    }

    @Bean
    ClusterCredentialFilter clusterCredentialFilter(ClusterCredential credential) {
        return new ClusterCredentialFilter(credential);
    }
}
