package io.timberdb.coordinator.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import io.timberdb.coordinator.state.Result;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Completes a proposer's future once its log entry is applied (with the state machine's
 * {@link Result}) or has failed (with a {@link ProposalException}).
 *
 * <p>Thread-safety: {@link #applied} and {@link #run} are called by Raft threads, one after the
 * other for a given entry; the result field is volatile because jraft may run the closure on
 * another thread than the one that applied the entry.
 */
final class ProposalClosure implements Closure {

    /** Failures after which the same command may be proposed again, here or to a new leader. */
    private static final Set<RaftError> RETRYABLE = EnumSet.of(RaftError.EBUSY, RaftError.EAGAIN,
            RaftError.ETIMEDOUT, RaftError.ERAFTTIMEDOUT, RaftError.ESTALE, RaftError.ECATCHUP);
    /** Failures that mean "this voter is not (or no longer) the leader". */
    private static final Set<RaftError> NOT_LEADER = EnumSet.of(RaftError.EPERM, RaftError.ENEWLEADER,
            RaftError.ELEADERREMOVED, RaftError.ELEADERCONFLICT, RaftError.ETRANSFERLEADERSHIP,
            RaftError.ESHUTDOWN, RaftError.ENODESHUTDOWN, RaftError.ESTOP, RaftError.EHOSTDOWN);

    private final CompletableFuture<Result> future = new CompletableFuture<>();
    private final Supplier<NotLeaderException> notLeader;
    /** Volatile: set on the state-machine thread, read where jraft runs the closure. */
    private volatile Result result;

    ProposalClosure(Supplier<NotLeaderException> notLeader) {
        this.notLeader = notLeader;
    }

    CompletableFuture<Result> future() {
        return future;
    }

    /** Records what applying the entry did; {@link #run} with an OK status then completes the future. */
    void applied(Result result) {
        this.result = result;
    }

    @Override
    public void run(Status status) {
        if (status.isOk()) {
            Result applied = result;
            if (applied == null) {
                future.completeExceptionally(new ProposalException("entry committed without a result", false));
            } else {
                future.complete(applied);
            }
            return;
        }
        future.completeExceptionally(failure("proposal", status, notLeader));
    }

    /** What a failed jraft status means for the caller: another leader, or a retryable or final failure. */
    static ProposalException failure(String what, Status status, Supplier<NotLeaderException> notLeader) {
        RaftError error = status.getRaftError();
        if (NOT_LEADER.contains(error)) {
            return notLeader.get();
        }
        return new ProposalException(what + " failed: " + status, RETRYABLE.contains(error));
    }
}
