package io.timberdb.coordinator.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.entity.PeerId;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.MetadataState;
import io.timberdb.coordinator.state.Result;
import io.timberdb.coordinator.state.VoterAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The voters of the metadata group and how to reach them.
 *
 * <p>Who the voters are comes from jraft: the peers of the latest configuration in this voter's
 * log ({@code NodeImpl.getCurrentConf()}), which is the configured {@code initialConf} only until
 * the log holds a configuration. How to reach each one over HTTP comes from the voter directory
 * that the metadata state replicates ({@link Command.RecordVoter}), and, for a voter never
 * recorded there, from this process's configuration ({@code timberdb.coordinator.voters}).
 * Adding a voter records the directory entries of every current voter that lacks one and of the
 * new voter, then asks jraft to add the peer; so after the first runtime change every voter
 * finds every other's URL in the replicated state, whatever its own configuration lists.
 *
 * <p>Thread-safety: lookups may run on any thread (they read the published state and jraft's
 * locked configuration); the changes run on the leader and complete on Raft threads.
 */
final class Membership {

    private final List<Voter> configured;
    private final MetadataState state;
    private final Supplier<Node> node;
    private final Function<Command, CompletableFuture<Result>> propose;
    private final Supplier<NotLeaderException> notLeader;

    /**
     * @param configured the voters this process was configured with
     * @param node this voter's jraft node, once started
     * @param propose proposes a command on this voter
     */
    Membership(List<Voter> configured, MetadataState state, Supplier<Node> node,
               Function<Command, CompletableFuture<Result>> propose, Supplier<NotLeaderException> notLeader) {
        this.configured = List.copyOf(configured);
        this.state = state;
        this.node = node;
        this.propose = propose;
        this.notLeader = notLeader;
    }

    /** The initial configuration of a voter whose log holds none yet. */
    Configuration initialConf() {
        return new Configuration(configured.stream().map(Membership::peerId).toList());
    }

    /** The Raft addresses ({@code host:port}) of the voters in jraft's current configuration. */
    List<String> addresses() {
        Node started = node.get();
        Configuration conf = started instanceof NodeImpl impl ? impl.getCurrentConf() : null;
        if (conf == null || conf.isEmpty()) {
            return configured.stream().map(Voter::raftAddress).toList();
        }
        return conf.listPeers().stream().map(p -> p.getEndpoint().toString()).toList();
    }

    /** The current voters whose HTTP URL is known (all of them, unless a peer was added behind our back). */
    List<Voter> voters() {
        return addresses().stream().map(this::byAddress).filter(v -> v != null).toList();
    }

    /** The ids of the current voters; a peer that no directory entry names is listed by its Raft address. */
    List<String> voterIds() {
        return addresses().stream().map(a -> {
            Voter voter = byAddress(a);
            return voter == null ? a : voter.id();
        }).toList();
    }

    /** The voter at a Raft address, from the directory or else the configuration; null if unknown. */
    Voter byAddress(String raftAddress) {
        for (VoterAddress recorded : state.voters()) {
            if (recorded.raftAddress().equals(raftAddress)) {
                return Voter.of(recorded);
            }
        }
        return configured.stream().filter(v -> v.raftAddress().equals(raftAddress)).findFirst().orElse(null);
    }

    /**
     * Adds a voter: records its address (and any current voter's missing from the directory),
     * then adds the peer, which jraft does once the new voter has caught up (by snapshot install
     * when the leader's log no longer starts at the beginning). Re-adding a current voter at
     * the same address only records its URL again.
     */
    CompletableFuture<Void> add(Voter voter) {
        List<String> members = addresses();
        for (String address : members) {
            Voter member = byAddress(address);
            if (address.equals(voter.raftAddress()) && member != null && !member.id().equals(voter.id())) {
                throw new MembershipException(MembershipException.Reason.CONFLICT,
                        "raft address " + address + " belongs to voter " + member.id());
            }
            if (!address.equals(voter.raftAddress()) && member != null && member.id().equals(voter.id())) {
                throw new MembershipException(MembershipException.Reason.CONFLICT,
                        "voter " + voter.id() + " is already a voter at " + address);
            }
        }
        List<CompletableFuture<Result>> records = new ArrayList<>();
        for (String address : members) {
            Voter member = byAddress(address);
            if (member != null && !address.equals(voter.raftAddress()) && !state.voters().contains(member.address())) {
                records.add(propose.apply(new Command.RecordVoter(member.address())));
            }
        }
        records.add(propose.apply(new Command.RecordVoter(voter.address())));
        return CompletableFuture.allOf(records.toArray(CompletableFuture[]::new)).thenCompose(recorded ->
                members.contains(voter.raftAddress()) ? CompletableFuture.completedFuture(null)
                        : change(node.get()::addPeer, voter.raftAddress(), "adding voter " + voter.id()));
    }

    /**
     * Removes a voter from jraft's configuration, then, if this voter still leads (a leader that
     * removed itself steps down), drops its directory entry.
     */
    CompletableFuture<Void> remove(String id) {
        List<String> members = addresses();
        String address = members.stream().filter(a -> {
            Voter voter = byAddress(a);
            return voter == null ? a.equals(id) : voter.id().equals(id);
        }).findFirst().orElseThrow(() -> new MembershipException(MembershipException.Reason.UNKNOWN_VOTER,
                "no voter of the metadata group has the id '" + id + "'"));
        if (members.size() == 1) {
            throw new MembershipException(MembershipException.Reason.LAST_VOTER,
                    "voter " + id + " is the group's only voter");
        }
        Node started = node.get();
        return change(started::removePeer, address, "removing voter " + id).thenCompose(removed -> {
            boolean recorded = state.voters().stream().anyMatch(v -> v.id().equals(id));
            if (!recorded || !started.isLeader()) {
                return CompletableFuture.completedFuture(null);
            }
            // Best effort: the entry of a voter outside the configuration is never listed, only looked up.
            return propose.apply(new Command.ForgetVoter(id)).handle((result, e) -> null);
        });
    }

    private CompletableFuture<Void> change(BiConsumer<PeerId, Closure> operation, String address, String what) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        PeerId peer = PeerId.parsePeer(address);
        operation.accept(peer, status -> {
            if (status.isOk()) {
                future.complete(null);
            } else {
                future.completeExceptionally(ProposalClosure.failure(what, status, notLeader));
            }
        });
        return future;
    }

    private static PeerId peerId(Voter voter) {
        return new PeerId(voter.host(), voter.raftPort());
    }
}
