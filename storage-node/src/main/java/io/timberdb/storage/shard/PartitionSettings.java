package io.timberdb.storage.shard;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.storage.codec.CompressionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-partition settings a shard needs when it seals a block: the partition's compression.
 * Asked at every seal, so a partition the node learns about after its first write still gets
 * its own codec.
 */
@FunctionalInterface
public interface PartitionSettings {

    /** The compression of the blocks of {@code partitionId}. */
    CompressionSettings compression(String partitionId);

    /** The same settings for every partition. */
    static PartitionSettings uniform(CompressionSettings settings) {
        return partitionId -> settings;
    }

    /**
     * The partition's compression from the cluster view, each field it leaves out taken from
     * {@code nodeDefault}; {@code nodeDefault} for a partition the view does not (yet) hold.
     */
    static PartitionSettings fromClusterView(ClusterViewSource view, CompressionSettings nodeDefault) {
        Logger log = LoggerFactory.getLogger(PartitionSettings.class);
        return partitionId -> view.current().partition(partitionId)
                .map(p -> merge(p, nodeDefault, log))
                .orElse(nodeDefault);
    }

    private static CompressionSettings merge(Partition p, CompressionSettings nodeDefault, Logger log) {
        if (p.compression() == null && p.compressionLevel() == null && p.compressionThreshold() == null) {
            return nodeDefault;
        }
        String codec = p.compression() != null ? p.compression() : nodeDefault.codec().specName();
        Integer level = p.compressionLevel() != null ? p.compressionLevel()
                : p.compression() == null ? Integer.valueOf(nodeDefault.level()) : null;
        int threshold = p.compressionThreshold() != null ? p.compressionThreshold() : nodeDefault.threshold();
        try {
            return CompressionSettings.fromSpec(codec, level, threshold);
        } catch (IllegalArgumentException e) {
            log.warn("partition {}: compression {} level {} is not usable ({}); using the node default",
                    p.name(), codec, level, e.getMessage());
            return nodeDefault;
        }
    }
}
