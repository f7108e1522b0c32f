package io.timberdb.storage.shard;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.model.shard.ShardWriter;
import io.timberdb.storage.ShardBusyException;
import io.timberdb.storage.block.BlockCache;
import io.timberdb.storage.wal.WalOptions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every shard this node holds, under {@code <dataDir>/shards/<partition>/<shard>/}. Shards found
 * on disk are opened (replayed) by the constructor; others are created on their first append.
 * Implements the shared {@link ShardWriter} and {@link ShardReader} for the local node: the
 * {@code node} argument is ignored.
 *
 * <p>Blocking work (opening a shard, scanning it) runs on a bounded scheduler of this store,
 * never on the caller's thread; an append to an open shard only encodes and queues the batch,
 * and completes on a parallel thread once the WAL has fsynced it; {@link Sealing} seals shards and
 * holds appends back while un-sealed entries fill their memory bound. Usable without Spring:
 * construct it, and {@link #close()} it to write what is queued and release the files.
 *
 * <p>Thread-safe.
 */
public final class ShardStore implements ShardWriter, ShardReader, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShardStore.class);

    /** Partition ids usable as directory names: as partition names, no separators, no "..". */
    private static final Pattern PARTITION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHARD = Pattern.compile("0|[1-9][0-9]{0,8}");
    static final String SHARDS_DIR = "shards";

    private final Path dataDir;
    private final StoreOptions options;
    private final BlockCache cache;
    private final ConcurrentMap<ShardId, ShardSlot> slots = new ConcurrentHashMap<>();
    private final Scheduler io;
    private final ShardScanner scanner = new ShardScanner(Runtime.getRuntime().availableProcessors());
    /** When shards seal, and the backpressure on appends. */
    private final Sealing sealing;
    /** Completes when every shard found on disk at start has been opened (or failed to). */
    private final CompletableFuture<Void> opened;
    /** Shards found on disk at start whose opening has not finished. */
    private final Set<ShardId> opening = ConcurrentHashMap.newKeySet();
    /** The retention thread, once started; guarded by {@code this}. */
    private ScheduledExecutorService retention;
    /** Set by close(); volatile so that later calls fail fast without a lock. */
    private volatile boolean closed;

    /** A store with {@link StoreOptions#DEFAULTS}. */
    public ShardStore(Path dataDir) {
        this(dataDir, StoreOptions.DEFAULTS);
    }

    /** A store with the default block settings and these WAL options. */
    public ShardStore(Path dataDir, WalOptions options) {
        this(dataDir, StoreOptions.DEFAULTS.withWal(options));
    }

    /**
     * Opens the store in {@code dataDir}, replaying every shard found there. A shard that fails
     * to open is logged and stays offline (see {@link #stats()}); the others open normally.
     */
    public ShardStore(Path dataDir, StoreOptions options) {
        this(dataDir, options, false);
    }

    /**
     * Opens the store in {@code dataDir} and returns at once: the shards found there replay in the
     * background, on one thread per core, while the caller goes on (a node's start-up overlaps its
     * WAL replay with the rest of its wiring). An append or query to a shard still replaying waits
     * for it; {@link #opened()} completes when every shard has been opened (or has failed to).
     */
    public static ShardStore openInBackground(Path dataDir, StoreOptions options) {
        return new ShardStore(dataDir, options, true);
    }

    private ShardStore(Path dataDir, StoreOptions options, boolean background) {
        this.dataDir = dataDir.toAbsolutePath();
        this.options = options;
        this.cache = options.newCache();
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        this.io = Schedulers.newBoundedElastic(threads, 10_000, "shard-store-io", 60, true);
        this.sealing = new Sealing(options.maxUnsealedBytes(), this::openShards);
        this.opened = openExisting();
        if (!background) {
            opened.join();
        }
        sealing.start();
    }

    /** Appends for the local node; {@code node} is ignored. */
    @Override
    public Mono<Void> append(String node, ShardId shard, List<LogEntry> entries) {
        return append(shard, entries);
    }

    /** Runs a query for the local node; {@code node} is ignored. */
    @Override
    public Mono<ShardQueryResult> query(String node, ShardId shard, ShardQuery query) {
        return query(shard, query);
    }

    /** The local shard's data version; {@code node} is ignored. */
    @Override
    public Mono<ShardVersion> version(String node, ShardId shard) {
        return version(shard);
    }

    /**
     * The data version of a shard (see {@link ShardVersion}): {@link ShardVersion#ABSENT} for one this
     * node has never held. Waits, off the caller's thread, for a shard still replaying; fails like a
     * query for one that is offline.
     */
    public Mono<ShardVersion> version(ShardId shard) {
        return Mono.defer(() -> {
            Shard open = slot(shard).ifOpen();
            if (open != null) {
                return Mono.just(open.version());
            }
            return Mono.fromCallable(() -> {
                        Shard opened = slot(shard).open(false);
                        return opened == null ? ShardVersion.ABSENT : opened.version();
                    })
                    .subscribeOn(io)
                    .onErrorMap(RejectedExecutionException.class, ShardStore::busy);
        });
    }

    /**
     * Appends entries to a shard, creating it if needed. Completes once every entry is in the
     * shard's WAL, fsynced, and visible to queries. Fails with {@code ShardBusyException} (503) when
     * the shard's queue is full, {@code UNAVAILABLE} when the shard is offline, and
     * {@code INVALID_FIELD} for an unusable shard id or a null entry.
     */
    public Mono<Void> append(ShardId shard, List<LogEntry> entries) {
        return Mono.defer(() -> {
            ShardSlot slot = slot(shard);
            if (entries == null) {
                throw TimberException.missingField("entries");
            }
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i) == null) {
                    throw TimberException.invalidField("[" + i + "]", "must be an entry, not null");
                }
            }
            Shard open = slot.ifOpen();
            // A failed shard goes through open(), which may reopen it (see ShardSlot).
            Mono<Shard> target = open != null && open.failure() == null ? Mono.just(open)
                    : Mono.fromCallable(() -> slot.open(true)).subscribeOn(io).onErrorMap(
                            RejectedExecutionException.class, ShardStore::busy);
            return target.flatMap(s -> sealing.awaitRoom(s)
                            .then(Mono.defer(() -> Mono.fromFuture(s.append(entries), true)))
                            .flatMap(base -> Mono.fromFuture(s.awaitCommit(base + entries.size()), true)
                                    .thenReturn(base))
                            .doOnSuccess(sequence -> sealing.sealIfDue(s)))
                    .publishOn(Schedulers.parallel())
                    .then();
        });
    }

    /**
     * Runs a query on a shard (the JSON filter or a query of the language, see {@link ShardQuery}):
     * matches in the query's order up to the limit, or partial groups, with scanned and matched
     * counts and what pruning did, and the shard's data version before the scan. A shard this node
     * has never held answers an empty result at {@link ShardVersion#ABSENT} (nothing is created).
     */
    public Mono<ShardQueryResult> query(ShardId shard, ShardQuery query) {
        return Mono.fromCallable(() -> {
                    ShardSlot slot = slot(shard);
                    if (query == null) {
                        throw TimberException.missingField("query");
                    }
                    ShardScan scan = new ShardScan(query); // validates before any disk work
                    // Reads go on while a shard's WAL has failed: what it holds is durable and visible.
                    Shard open = slot.ifOpen() != null ? slot.ifOpen() : slot.open(false);
                    return open == null ? scan.result(List.of()).withVersion(ShardVersion.ABSENT)
                            : scanner.scan(open, scan.pruning(), scan);
                })
                .subscribeOn(io)
                .onErrorMap(RejectedExecutionException.class, ShardStore::busy);
    }

    /**
     * What the store holds now, for health and metrics.
     *
     * @param shardsOpening shards found on disk at start and still replaying their WAL
     * @param shardsOpen shards open and writable
     * @param shardsOffline shards that failed to open or whose WAL failed, with the reason
     * @param entries entries held by the open shards (in blocks and active blocks)
     * @param blocks sealed blocks being served
     * @param quarantinedBlocks blocks found corrupt and set aside: queries touching their shard are partial
     */
    public record Stats(@JsonProperty("shards_opening") int shardsOpening,
                        @JsonProperty("shards_open") int shardsOpen,
                        @JsonProperty("shards_offline") List<String> shardsOffline, long entries, int blocks,
                        @JsonProperty("quarantined_blocks") List<String> quarantinedBlocks) {
    }

    /** A snapshot of {@link Stats}; cheap, no disk access. */
    public Stats stats() {
        int open = 0;
        int blocks = 0;
        long entries = 0;
        List<String> offline = new ArrayList<>();
        List<String> quarantined = new ArrayList<>();
        for (ShardSlot slot : slots.values()) {
            String reason = slot.offlineReason();
            if (reason != null) {
                offline.add(slot.id() + ": " + reason);
                continue;
            }
            Shard shard = slot.ifOpen();
            if (shard != null) {
                open++;
                entries += shard.entryCount();
                blocks += shard.state().blocks().size();
                quarantined.addAll(shard.state().unreadable());
            }
        }
        return new Stats(opening.size(), open, List.copyOf(offline), entries, blocks, List.copyOf(quarantined));
    }

    /**
     * The bytes each open shard holds, keyed {@code <partition>/<shard>}: its sealed blocks'
     * files plus its un-sealed entries (as the WAL holds them). Cheap, no disk access; the
     * coordinators balance moves by it.
     */
    public Map<String, Long> shardBytes() {
        Map<String, Long> bytes = new TreeMap<>();
        for (ShardSlot slot : slots.values()) {
            Shard shard = slot.ifOpen();
            if (shard != null) {
                long total = shard.unsealedBytes();
                for (SealedBlock block : shard.state().blocks()) {
                    total += block.ref().bytes();
                }
                bytes.put(slot.id().toString(), total);
            }
        }
        return bytes;
    }

    /** The directory this store keeps its files in. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Deletes, every {@code interval} from now on, the sealed blocks whose newest entry is older
     * than their partition's retention (see {@link #expire}). One daemon thread; stopped by
     * {@link #close()}.
     */
    public synchronized void startRetention(RetentionPolicy policy, InstantSource clock, Duration interval) {
        if (retention != null) {
            throw new IllegalStateException("retention is already running");
        }
        retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shard-retention");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        retention.scheduleWithFixedDelay(() -> {
            try {
                expire(policy, clock.instant());
            } catch (RuntimeException e) {
                log.warn("retention pass failed; the next one retries", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * One retention pass over the open shards: removes each shard's sealed blocks whose newest
     * entry is older than {@code now} less its partition's retention. A shard whose pass fails is
     * logged and left as it was; the others go on.
     *
     * @return the blocks, entries and bytes removed in all
     */
    public Expired expire(RetentionPolicy policy, Instant now) {
        int blocks = 0;
        long entries = 0;
        long bytes = 0;
        for (Shard shard : openShards()) {
            Optional<Duration> keep = policy.retention(shard.id().partition());
            if (keep.isEmpty()) {
                continue;
            }
            Instant cutoff = now.minus(keep.get());
            try {
                Expired gone = shard.expireBefore(cutoff);
                if (gone.blocks() > 0) {
                    log.info("shard {}: retention removed {} block(s), {} entries, {} bytes, all older than {}",
                            shard.id(), gone.blocks(), gone.entries(), gone.bytes(), cutoff);
                }
                blocks += gone.blocks();
                entries += gone.entries();
                bytes += gone.bytes();
            } catch (IOException | RuntimeException e) {
                log.warn("shard {}: retention could not remove blocks older than {}; the next pass retries",
                        shard.id(), cutoff, e);
            }
        }
        return new Expired(blocks, entries, bytes);
    }

    /** What a retention pass removed. */
    public record Expired(int blocks, long entries, long bytes) {
    }

    /** Stops accepting work, writes every queued batch, closes every shard and the I/O scheduler. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            if (retention != null) {
                retention.shutdownNow();
            }
        }
        sealing.stop();
        for (ShardSlot slot : slots.values()) {
            try {
                slot.close();
            } catch (RuntimeException e) {
                log.warn("closing shard {} failed", slot.id(), e);
            }
        }
        io.dispose();
        scanner.close();
    }

    /**
     * Opens (creating if needed) a shard as a replicated one: its entries become visible only once
     * committed (see {@link ReplicatedShard}). Blocking: call it off the event loop.
     */
    public ReplicatedShard replicated(ShardId shard) {
        ShardSlot slot = slot(shard);
        slot.open(true, true);
        return new ReplicatedShard(slot, sealing);
    }

    /** Whether this store holds files of the shard (open or not). */
    public boolean holds(ShardId shard) {
        return slots.containsKey(shard) || Files.isDirectory(directory(shard));
    }

    /** Forgets a shard whose files were deleted (its slot goes; a later append creates it anew). */
    public void forget(ShardId shard) {
        ShardSlot slot = slots.remove(shard);
        if (slot != null) {
            slot.close();
        }
    }

    /** The shards this store has open or found on disk. */
    public Set<ShardId> shardIds() {
        return Set.copyOf(slots.keySet());
    }

    /**
     * Checks that a shard id is usable here (a partition id fit for a directory name, a shard
     * number not negative).
     *
     * @throws TimberException {@code INVALID_FIELD} naming {@code partition} or {@code shard}
     */
    public static void validate(ShardId shard) {
        if (shard == null || shard.partition() == null || !PARTITION.matcher(shard.partition()).matches()) {
            throw TimberException.invalidField("partition", "must be 1-128 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        if (shard.shard() < 0) {
            throw TimberException.invalidField("shard", "must not be negative");
        }
    }

    private ShardSlot slot(ShardId shard) {
        if (closed) {
            throw new TimberException(ErrorCode.UNAVAILABLE, "the shard store is closed");
        }
        validate(shard);
        return slots.computeIfAbsent(shard, id -> new ShardSlot(id, directory(id), options, cache));
    }

    private Path directory(ShardId shard) {
        return dataDir.resolve(SHARDS_DIR).resolve(shard.partition()).resolve(Integer.toString(shard.shard()));
    }

    /**
     * Opens every shard directory found on disk, one per core at a time; failures leave that
     * shard offline. The slots exist when this returns (so that appends and queries to those
     * shards wait for their opening); the returned future completes when every opening finished.
     */
    private CompletableFuture<Void> openExisting() {
        List<ShardId> found = findShards();
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        opening.addAll(found);
        found.forEach(this::slot);
        ExecutorService openers = Executors.newFixedThreadPool(Math.max(1, Math.min(found.size(),
                Runtime.getRuntime().availableProcessors())), r -> {
                    Thread t = new Thread(r, "shard-open");
                    t.setDaemon(true);
                    return t;
                });
        long start = System.nanoTime();
        CompletableFuture<?>[] each = found.stream().map(id -> CompletableFuture.runAsync(() -> {
            try {
                slot(id).open(false);
            } catch (TimberException e) {
                // logged by the slot; the shard is reported offline by stats()
            } finally {
                opening.remove(id);
            }
        }, openers)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each).whenComplete((ok, e) -> {
            openers.shutdown();
            Stats stats = stats();
            log.info("shard store in {}: opened {} shard(s) holding {} entries in {} ms{}", dataDir, stats.shardsOpen(),
                    stats.entries(), (System.nanoTime() - start) / 1_000_000,
                    stats.shardsOffline().isEmpty() ? "" : "; offline: " + stats.shardsOffline());
        });
    }

    /** The shards on disk: {@code shards/<partition>/<shard>/} directories with a WAL directory. */
    private List<ShardId> findShards() {
        Path root = dataDir.resolve(SHARDS_DIR);
        List<ShardId> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            log.info("shard store in {}: no shards yet", dataDir);
            return found;
        }
        try (DirectoryStream<Path> partitions = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path partition : partitions) {
                String name = partition.getFileName().toString();
                if (!PARTITION.matcher(name).matches()) {
                    log.warn("shard store: ignoring {}, not a partition directory", partition);
                    continue;
                }
                try (DirectoryStream<Path> shards = Files.newDirectoryStream(partition, Files::isDirectory)) {
                    for (Path shard : shards) {
                        String index = shard.getFileName().toString();
                        if (SHARD.matcher(index).matches() && Files.isDirectory(shard.resolve(ShardFiles.WAL_DIR))) {
                            found.add(new ShardId(name, Integer.parseInt(index)));
                        } else {
                            log.warn("shard store: ignoring {}, not a shard directory", shard);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the shards in " + root + ": " + e, e);
        }
        return found;
    }

    /** The open shards (healthy or not); for sealing. */
    private Iterable<Shard> openShards() {
        List<Shard> open = new ArrayList<>(slots.size());
        for (ShardSlot slot : slots.values()) {
            Shard shard = slot.ifOpen();
            if (shard != null) {
                open.add(shard);
            }
        }
        return open;
    }

    /** Tests: the encoded bytes of un-sealed entries in every open shard. */
    long unsealedBytes() {
        return sealing.unsealedBytes();
    }

    /** Tests: shortens how long an append waits for seals to make room. */
    void roomWait(Duration wait) {
        sealing.roomWait(wait);
    }

    /** Completes when every shard found on disk at start has been opened or has failed to open. */
    public CompletableFuture<Void> opened() {
        return opened.copy();
    }

    private static TimberException busy(Throwable e) {
        return new TimberException(ErrorCode.UNAVAILABLE, "the shard store is busy; retry shortly", null, e);
    }
}
