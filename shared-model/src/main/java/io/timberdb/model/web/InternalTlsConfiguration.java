package io.timberdb.model.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.webclient.autoconfigure.WebClientSsl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@link InternalTls} of a cluster process, from {@code timberdb.internal-tls.bundle}. Imported
 * with {@link ClusterCredentialConfiguration} by the coordinator, the storage node, ingest and
 * query, whose internal clients apply it.
 */
@Configuration(proxyBeanMethods = false)
public class InternalTlsConfiguration {

    /** The property naming the SSL bundle of internal clients. */
    public static final String BUNDLE_PROPERTY = "timberdb.internal-tls.bundle";

    @Bean
    InternalTls internalTls(Environment env, ObjectProvider<SslBundles> bundles, ObjectProvider<WebClientSsl> ssl) {
        String bundle = env.getProperty(BUNDLE_PROPERTY);
        if (bundle == null || bundle.isBlank()) {
            return InternalTls.none();
        }
        return InternalTls.of(bundle, bundles.getObject(), ssl.getObject());
    }
}
