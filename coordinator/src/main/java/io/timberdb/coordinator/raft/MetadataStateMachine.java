package io.timberdb.coordinator.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LocalFileMetaOutter.LocalFileMeta;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.CommandCodec;
import io.timberdb.coordinator.state.MetadataState;
import io.timberdb.coordinator.state.Result;
import io.timberdb.coordinator.state.SnapshotCodec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts {@link MetadataState} to jraft: decodes committed entries and applies them in log
 * order, hands results to local proposers, saves and loads snapshots, and tracks leadership.
 *
 * <p>Thread-safety: jraft calls the callbacks from its single state-machine thread; the leader
 * term is volatile because request threads read it.
 */
final class MetadataStateMachine extends StateMachineAdapter {

    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final String voterId;
    private final MetadataState state;
    /** The term this voter leads with all earlier entries applied, or -1; volatile: read by proposers. */
    private volatile long leaderTerm = -1;
    /** Entries applied since the last snapshot after which one is asked for; 0 for none (time only). */
    private final long snapshotThreshold;
    /** Asks for a snapshot; must not block (it runs on the state-machine thread). */
    private final Runnable requestSnapshot;
    /** Snapshots loaded so far; volatile: written on the state-machine thread, read by tests and diagnostics. */
    private volatile long snapshotsLoaded;
    /** Entries applied since the last snapshot; written on the state-machine thread only. */
    private long appliedSinceSnapshot;
    /**
     * Whether a threshold snapshot has been asked for and not yet started. Volatile: set on the
     * state-machine thread, cleared there when the save starts, or by the snapshot thread when
     * jraft refuses the request (e.g. busy finishing the previous snapshot), so that the next
     * applied entry asks again instead of waiting for the periodic snapshot.
     */
    private volatile boolean snapshotRequested;
    /**
     * Runs on the state-machine thread after each batch of applied entries and each loaded
     * snapshot that changed the view; must not block. Volatile: set before the voter starts.
     */
    private volatile Runnable viewChanged = () -> { };

    MetadataStateMachine(String voterId, MetadataState state) {
        this(voterId, state, 0, () -> { });
    }

    /**
     * @param snapshotThreshold entries applied after which a snapshot is asked for (the spec's
     *        {@code snapshot_threshold}), besides the periodic ones; 0 for none
     * @param requestSnapshot asks for it without blocking
     */
    MetadataStateMachine(String voterId, MetadataState state, long snapshotThreshold, Runnable requestSnapshot) {
        this.voterId = voterId;
        this.state = state;
        this.snapshotThreshold = snapshotThreshold;
        this.requestSnapshot = requestSnapshot;
    }

    /** A threshold snapshot asked for was not taken: ask again after the next applied entry. */
    void snapshotNotTaken() {
        snapshotRequested = false;
    }

    /** How many snapshots this voter has loaded, at start or installed from the leader. */
    long snapshotsLoaded() {
        return snapshotsLoaded;
    }

    /** The term in which this voter leads and has applied all earlier entries, or -1. */
    long leaderTerm() {
        return leaderTerm;
    }

    /** Sets what runs after the applied view changes (the cluster view watch); call before the voter starts. */
    void onViewChanged(Runnable listener) {
        this.viewChanged = listener;
    }

    @Override
    public void onApply(Iterator iter) {
        long before = state.version();
        try {
            applyEntries(iter);
        } finally {
            // Also after a failed entry: the ones before it were applied.
            if (state.version() != before) {
                viewChanged.run();
            }
        }
    }

    private void applyEntries(Iterator iter) {
        while (iter.hasNext()) {
            Closure done = iter.done();
            Result result;
            try {
                Command command = CommandCodec.decode(iter.getData());
                result = state.apply(command);
            } catch (RuntimeException e) {
                // Skipping the entry would let this voter's state differ from the others': stop instead.
                log.error("{}: cannot apply metadata entry {} (term {})", voterId, iter.getIndex(), iter.getTerm(), e);
                iter.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE,
                        "cannot apply entry %d: %s", iter.getIndex(), e.getMessage()));
                return;
            }
            if (done instanceof ProposalClosure proposal) {
                proposal.applied(result);
            }
            if (done != null) {
                done.run(Status.OK());
            }
            iter.next();
            if (snapshotThreshold > 0 && ++appliedSinceSnapshot >= snapshotThreshold && !snapshotRequested) {
                snapshotRequested = true;
                requestSnapshot.run();
            }
        }
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        // jraft waits for every snapshot closure before a voter can stop: run it exactly once, whatever happens.
        Status status;
        appliedSinceSnapshot = 0; // on the state-machine thread, like onApply
        snapshotRequested = false;
        try {
            status = save(writer);
        } catch (RuntimeException | Error e) {
            log.error("{}: cannot save a snapshot", voterId, e);
            done.run(new Status(RaftError.EIO, "cannot save a snapshot: %s", e));
            throw e;
        }
        done.run(status);
    }

    private Status save(SnapshotWriter writer) {
        // On the state-machine thread: the view is exactly the state at the snapshot's index.
        byte[] content = SnapshotCodec.encode(state.snapshot());
        Path file = Path.of(writer.getPath(), SnapshotCodec.FILE_NAME);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            log.error("{}: cannot write snapshot file {}", voterId, file, e);
            return new Status(RaftError.EIO, "cannot write %s: %s", file, e.getMessage());
        }
        LocalFileMeta meta = LocalFileMeta.newBuilder().setChecksum(crc32(content)).build();
        if (!writer.addFile(SnapshotCodec.FILE_NAME, meta)) {
            return new Status(RaftError.EIO, "cannot add %s to the snapshot", SnapshotCodec.FILE_NAME);
        }
        log.info("{}: saved metadata snapshot at version {}", voterId, state.version());
        return Status.OK();
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        if (leaderTerm >= 0) {
            log.warn("{}: a leader does not load snapshots", voterId);
            return false;
        }
        if (!(reader.getFileMeta(SnapshotCodec.FILE_NAME) instanceof LocalFileMeta meta)) {
            log.error("{}: snapshot {} has no {}", voterId, reader.getPath(), SnapshotCodec.FILE_NAME);
            return false;
        }
        Path file = Path.of(reader.getPath(), SnapshotCodec.FILE_NAME);
        try {
            byte[] content = Files.readAllBytes(file);
            if (meta.hasChecksum() && !meta.getChecksum().equals(crc32(content))) {
                log.error("{}: snapshot file {} fails its checksum", voterId, file);
                return false;
            }
            state.restore(SnapshotCodec.decode(content));
            snapshotsLoaded++; // the state-machine thread is the only writer
            viewChanged.run();
            log.info("{}: loaded metadata snapshot at version {}", voterId, state.version());
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot load snapshot file {}", voterId, file, e);
            return false;
        }
    }

    @Override
    public void onLeaderStart(long term) {
        leaderTerm = term;
        log.info("{}: leads the metadata group in term {}", voterId, term);
    }

    @Override
    public void onLeaderStop(Status status) {
        leaderTerm = -1;
        log.info("{}: stopped leading the metadata group: {}", voterId, status);
    }

    @Override
    public void onError(RaftException e) {
        log.error("{}: the metadata group stopped this voter on an error", voterId, e);
    }

    private static String crc32(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return Long.toHexString(crc.getValue());
    }
}
