package io.timberdb.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.MetadataState;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode.State;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The keeper's leader failover, drain hand-over and move completion, driven tick by tick with a
 * fake clock over an in-memory {@link MetadataState} (the keeper's {@link MembershipKeeper.Group}).
 */
class MembershipKeeperTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration FAILOVER = Duration.ofSeconds(3);
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(30);

    private final MetadataState state = new MetadataState();
    private final List<Command> proposed = new ArrayList<>();
    private Instant now = T0;
    private final InstantSource clock = () -> now;
    private final NodeLiveness liveness = new NodeLiveness(clock);
    private long term = 1;

    private final MembershipKeeper.Group group = new MembershipKeeper.Group() {
        @Override
        public long leaderTerm() {
            return term;
        }

        @Override
        public ClusterView view() {
            return state.view();
        }

        @Override
        public CompletableFuture<Result> propose(Command command) {
            proposed.add(command);
            return CompletableFuture.completedFuture(state.apply(command));
        }

        @Override
        public String selfId() {
            return "coordinator-1";
        }
    };

    private Partition.ShardPlacement shard;

    private MembershipKeeper keeper(boolean unclean, boolean moveReplicas) {
        for (String id : List.of("n1", "n2", "n3")) {
            state.apply(new Command.RegisterNode(id, "http://" + id, T0));
        }
        state.apply(new Command.CreatePartition("p", "web", Map.of(), 7, T0, 1, null, 3, null, null));
        shard = shard();
        return new MembershipKeeper(group, liveness, clock,
                new MembershipKeeper.Settings(NODE_TIMEOUT, 4, moveReplicas, FAILOVER, unclean));
    }

    @Test
    void aNewLeaderWaitsAWholeFailoverTimeoutBeforeGivingUpASilentShardLeader() {
        MembershipKeeper keeper = keeper(false, false);
        keeper.tick(); // the term starts now: nobody has been heard, everyone counts as heard now

        advance(Duration.ofSeconds(3), shard.replicas().subList(1, 3));
        keeper.tick();
        assertThat(shard().node()).as("exactly the timeout: still the grace period").isEqualTo(shard.node());
        assertThat(proposed).isEmpty();

        advance(Duration.ofMillis(1), shard.replicas().subList(1, 3));
        keeper.tick();

        String silent = shard.node();
        assertThat(shard().node()).isEqualTo(shard.replicas().get(1));
        assertThat(shard().isr()).doesNotContain(silent).containsExactly(shard.replicas().get(1), shard.replicas().get(2));
        assertThat(shard().replicas()).containsExactly(shard.replicas().get(1), silent, shard.replicas().get(2));
        assertThat(shard().epoch()).isEqualTo(2);
        assertThat(state.view().node(silent).orElseThrow().state()).as("active until the node timeout")
                .isEqualTo(State.ACTIVE);
        assertThat(proposed).hasSize(1).first().isInstanceOf(Command.ElectLeaders.class);
    }

    @Test
    void aNodeHeardWithinTheTimeoutKeepsItsShardsAndAReturningNodeStaysAFollower() {
        MembershipKeeper keeper = keeper(false, false);
        keeper.tick();
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofSeconds(1), shard.replicas());
            keeper.tick();
        }
        assertThat(shard()).isEqualTo(shard);

        advance(Duration.ofSeconds(4), shard.replicas().subList(1, 3));
        keeper.tick();
        assertThat(shard().node()).isNotEqualTo(shard.node());
        Partition.ShardPlacement failedOver = shard();

        advance(Duration.ofSeconds(1), shard.replicas());
        keeper.tick();
        assertThat(shard()).as("heard again: nothing changes, its new leader adds it back to the ISR")
                .isEqualTo(failedOver);
    }

    @Test
    void withNoLiveIsrMemberTheShardWaitsUnlessUncleanElectionIsOn() {
        for (boolean unclean : List.of(false, true)) {
            MetadataState fresh = new MetadataState();
            proposed.clear();
            now = T0;
            reset(fresh);
            MembershipKeeper keeper = keeper(unclean, false);
            String leader = shard.node();
            String inSync = shard.replicas().get(1);
            String outOfSync = shard.replicas().get(2);
            state.apply(new Command.AlterIsr("p", 0, leader, 1, shard.replicas(), List.of(leader, inSync)));
            keeper.tick();

            advance(Duration.ofSeconds(4), List.of(outOfSync));
            keeper.tick();

            if (unclean) {
                assertThat(shard().node()).isEqualTo(outOfSync);
                assertThat(shard().isr()).containsExactly(outOfSync);
                assertThat(shard().epoch()).isEqualTo(2);
            } else {
                assertThat(shard().node()).as("unavailable, not unclean").isEqualTo(leader);
                assertThat(shard().epoch()).isEqualTo(1);
                assertThat(proposed).noneMatch(Command.ElectLeaders.class::isInstance);
            }
        }
    }

    @Test
    void aDrainingLeaderHandsOverToAnActiveIsrMember() {
        MembershipKeeper keeper = keeper(false, false);
        String leader = shard.node();
        state.apply(new Command.SetNodeState(leader, State.DRAINING, T0));

        keeper.tick();

        assertThat(shard().node()).isEqualTo(shard.replicas().get(1));
        assertThat(shard().isr()).as("the drained node is still in sync").contains(leader);
        assertThat(shard().epoch()).isEqualTo(2);
    }

    @Test
    void aMoveCompletesOnceItsNewReplicaIsInSync() {
        MembershipKeeper keeper = keeper(false, true);
        state.apply(new Command.RegisterNode("n4", "http://n4", T0));
        String leader = shard.node();
        state.apply(new Command.SetNodeState(leader, State.DRAINING, T0));
        keeper.tick(); // hands leadership over, then starts moving the drained replica to n4
        Partition.ShardPlacement copying = shard();
        assertThat(copying.replicas()).contains("n4", leader);
        assertThat(copying.removing()).containsExactly(leader);
        assertThat(copying.isr()).doesNotContain("n4");

        keeper.tick();
        assertThat(shard()).as("nothing completes before n4 is in sync").isEqualTo(copying);

        state.apply(new Command.AlterIsr("p", 0, copying.node(), copying.epoch(), copying.isr(), copying.replicas()));
        keeper.tick();

        assertThat(shard().replicas()).doesNotContain(leader).contains("n4").hasSize(3);
        assertThat(shard().removing()).isEmpty();
        assertThat(shard().epoch()).isEqualTo(copying.epoch() + 1);
        assertThat(state.view().node(leader).orElseThrow().state()).isEqualTo(State.DRAINING);
    }

    @Test
    void aFollowerDoesNothing() {
        MembershipKeeper keeper = keeper(true, true);
        term = -1;
        advance(Duration.ofMinutes(5), List.of());

        keeper.tick();

        assertThat(proposed).isEmpty();
    }

    private void reset(MetadataState fresh) {
        state.restore(fresh.snapshot());
    }

    /** Moves the clock on, the given nodes heartbeating just before. */
    private void advance(Duration by, List<String> heard) {
        now = now.plus(by);
        heard.forEach(liveness::heard);
    }

    private Partition.ShardPlacement shard() {
        return state.view().partitions().get(0).shards().get(0);
    }
}
