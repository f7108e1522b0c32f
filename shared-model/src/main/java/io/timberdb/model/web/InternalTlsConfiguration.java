package io.timberdb.model.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The {@link InternalTls} of a cluster process, from {@code timberdb.internal-tls.bundle}. Imported
 * with {@link ClusterCredentialConfiguration} by the coordinator, the storage node, ingest and
 * query, whose internal clients apply it. Connectors are built as Boot's {@code WebClientSsl} builds
 * them: the context's {@link ClientHttpConnectorBuilder} (else the one detected on the classpath)
 * and {@link HttpClientSettings} (else the defaults), with the bundle.
 */
@Configuration(proxyBeanMethods = false)
public class InternalTlsConfiguration {

    /** The property naming the SSL bundle of internal clients. */
    public static final String BUNDLE_PROPERTY = "timberdb.internal-tls.bundle";

    @Bean
    InternalTls internalTls(Environment env, ObjectProvider<SslBundles> bundles, ResourceLoader resources,
                            ObjectProvider<ClientHttpConnectorBuilder<?>> connectors,
                            ObjectProvider<HttpClientSettings> settings) {
        String bundle = env.getProperty(BUNDLE_PROPERTY);
        if (bundle == null || bundle.isBlank()) {
            return InternalTls.none();
        }
        ClientHttpConnectorBuilder<?> builder = connectors.getIfAvailable(
                () -> ClientHttpConnectorBuilder.detect(resources.getClassLoader()));
        HttpClientSettings base = settings.getIfAvailable(HttpClientSettings::defaults);
        return InternalTls.of(bundle, bundles.getObject(), ssl -> builder.build(base.withSslBundle(ssl)));
    }
}
