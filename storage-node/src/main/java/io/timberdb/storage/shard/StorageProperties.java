package io.timberdb.storage.shard;

import io.timberdb.storage.block.BlockOptions;
import io.timberdb.storage.codec.CompressionSettings;
import io.timberdb.storage.index.Tokenizer;
import io.timberdb.storage.wal.FsyncPolicy;
import io.timberdb.storage.wal.WalOptions;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The storage settings ({@code timberdb.storage.*}, e.g. {@code TIMBERDB_STORAGE_COMPRESSION}),
 * used by the storage node and by the standalone alike. Names follow the spec's {@code [storage]}
 * section.
 *
 * @param advertisedAddress the base URL other services reach this node at; when unset,
 *        {@code http://127.0.0.1:<the HTTP port actually bound>} (storage node only)
 * @param fsyncPolicy when the WAL forces to disk: {@code per-batch} (default: acknowledged means
 *        fsynced), {@code interval} (every {@code fsync-interval}) or {@code none}
 * @param fsyncInterval the spec's {@code fsync_interval}, for the {@code interval} policy
 * @param queueCapacity batches waiting per shard before appends are refused as busy (503)
 * @param segmentSize the size at which a shard's WAL rolls to a new segment file
 * @param heartbeatInterval how often the node re-registers with the coordinators (storage node only); 1 s, so
 *        that the coordinators' 3 s leader failover timeout sees a silent node soon (TDB-05)
 * @param blockRotation when the active block is sealed: {@code type} time (seconds), size (bytes) or
 *        count (entries), and {@code value}; default size 32 MiB
 * @param compression the codec of block pages: None, LZ4, Zstd, Snappy or Gzip
 * @param compressionLevel the codec's level (Zstd 1-22, Gzip 1-9; ignored by the others)
 * @param compressionThreshold pages smaller than this are stored uncompressed, in bytes
 * @param pageCacheSize the bound of the cache of decompressed pages
 * @param indexCacheSize the bound of the cache of block indexes
 * @param maxUnsealedSize the bound of the entries all active blocks hold in memory together; past
 *        it, appends wait for seals (and answer 503 with {@code Retry-After} if the wait is long)
 * @param minWordLength the spec's {@code min_word_length}: shorter words are not put in the
 *        token filters of new blocks (default 3; each block records the rules it was built with,
 *        so queries test every block by its own)
 * @param maxWordLength the spec's {@code max_word_length} (default 50, at most 255)
 * @param retentionCheckInterval how often sealed blocks past their partition's
 *        {@code retention_days} are deleted (default 5 minutes)
 * @param zone the failure zone this node is in (the spec's {@code [node] availability_zone}), sent
 *        with its registration: the coordinators keep a shard's replicas in distinct zones when
 *        zones are given; unset when unknown (storage node only)
 */
@Validated
@ConfigurationProperties("timberdb.storage")
public record StorageProperties(
        @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") String advertisedAddress,
        @DefaultValue("per-batch") @NotNull FsyncPolicy fsyncPolicy,
        @DefaultValue("1000ms") @NotNull Duration fsyncInterval,
        @DefaultValue("1024") @Min(1) int queueCapacity,
        @DefaultValue("64MB") @NotNull DataSize segmentSize,
        @DefaultValue("1s") @NotNull Duration heartbeatInterval,
        BlockRotation blockRotation,
        @DefaultValue("LZ4") @NotNull String compression,
        @DefaultValue("3") int compressionLevel,
        @DefaultValue("4096") @Min(0) int compressionThreshold,
        @DefaultValue("128MB") @NotNull DataSize pageCacheSize,
        @DefaultValue("32MB") @NotNull DataSize indexCacheSize,
        @DefaultValue("192MB") @NotNull DataSize maxUnsealedSize,
        @DefaultValue("3") @Min(1) int minWordLength,
        @DefaultValue("50") @Min(1) @Max(255) int maxWordLength,
        @DefaultValue("5m") @NotNull Duration retentionCheckInterval,
        String zone) {

    public StorageProperties {
        if (segmentSize != null && segmentSize.toBytes() < DataSize.ofKilobytes(4).toBytes()) {
            throw new IllegalArgumentException("timberdb.storage.segment-size must be at least 4KB, was " + segmentSize);
        }
        if (heartbeatInterval != null && (heartbeatInterval.isZero() || heartbeatInterval.isNegative())) {
            throw new IllegalArgumentException("timberdb.storage.heartbeat-interval must be positive");
        }
        blockRotation = blockRotation == null ? BlockRotation.DEFAULT : blockRotation;
        if (retentionCheckInterval != null && (retentionCheckInterval.isZero() || retentionCheckInterval.isNegative())) {
            throw new IllegalArgumentException("timberdb.storage.retention-check-interval must be positive");
        }
        if (minWordLength > maxWordLength) {
            throw new IllegalArgumentException("timberdb.storage.min-word-length (" + minWordLength
                    + ") must not exceed timberdb.storage.max-word-length (" + maxWordLength + ")");
        }
    }

    /** The WAL options these settings describe. */
    public WalOptions walOptions() {
        return new WalOptions(fsyncPolicy, queueCapacity, segmentSize.toBytes(), fsyncInterval);
    }

    /** The store options these settings describe. */
    public StoreOptions storeOptions() {
        CompressionSettings codec = CompressionSettings.fromSpec(compression, compressionLevel, compressionThreshold);
        BlockOptions blocks = BlockOptions.DEFAULTS.withCompression(codec)
                .withTokenizer(new Tokenizer(minWordLength, maxWordLength));
        return new StoreOptions(walOptions(), blocks, blockRotation,
                pageCacheSize.toBytes(), indexCacheSize.toBytes()).withMaxUnsealedBytes(maxUnsealedSize.toBytes());
    }
}
