package io.timberdb.model.config;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What every TimberDB process is told about itself ({@code timberdb.*}).
 *
 * @param nodeId this process's id, e.g. {@code storage-2} ({@code TIMBERDB_NODE_ID})
 * @param dataDir where it keeps its files ({@code TIMBERDB_DATA_DIR})
 * @param coordinators base URLs of the coordinator voters' HTTP APIs, for services that need the
 *        cluster view ({@code TIMBERDB_COORDINATORS}, comma-separated); empty in standalone
 * @param viewRefresh how often a service that caches the cluster view polls the coordinators while
 *        their watch on the view fails (it watches them otherwise)
 */
@Validated
@ConfigurationProperties("timberdb")
public record NodeProperties(
        @NotBlank String nodeId,
        @DefaultValue("./timberdb-data") Path dataDir,
        @DefaultValue List<URI> coordinators,
        @DefaultValue("1s") Duration viewRefresh) {
}
