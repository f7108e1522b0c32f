package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.StorageNode.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AlterIsr, leader elections (failover, drain hand-over, unclean) and their plans, on {@link MetadataState}. */
class ShardTransitionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MetadataState state = new MetadataState();
    private Partition.ShardPlacement shard;

    @BeforeEach
    void threeReplicasAtEpochOne() {
        for (String id : List.of("n1", "n2", "n3")) {
            state.apply(new Command.RegisterNode(id, "http://" + id, T0));
        }
        state.apply(new Command.CreatePartition("p", "web", Map.of(), 7, T0, 1, null, 3, null, null));
        shard = shard();
    }

    @Test
    void alterIsrShrinksAndExpandsAsACompareAndSetThatKeepsTheEpoch() {
        String leader = shard.node();
        List<String> followers = shard.replicas().subList(1, 3);
        long version = state.version();

        Result shrunk = state.apply(alter(leader, 1, shard.replicas(), List.of(followers.get(1), leader)));

        assertThat(shrunk).isInstanceOf(Result.IsrChanged.class);
        assertThat(((Result.IsrChanged) shrunk).changed()).isTrue();
        assertThat(shard().isr()).as("in replica order, leader first").containsExactly(leader, followers.get(1));
        assertThat(shard().epoch()).isEqualTo(1);
        assertThat(shard().replicas()).isEqualTo(shard.replicas());
        assertThat(state.version()).isEqualTo(version + 1);

        assertThat(state.apply(alter(leader, 1, shard.replicas(), List.of(leader, followers.get(1)))))
                .as("the same request again: answered as the first time, nothing changes")
                .isEqualTo(new Result.IsrChanged(state.view().partitions().get(0), false));
        assertThat(state.version()).isEqualTo(version + 1);

        assertThat(state.apply(alter(leader, 1, List.of(followers.get(1), leader), shard.replicas())))
                .isInstanceOf(Result.IsrChanged.class);
        assertThat(shard().isr()).isEqualTo(shard.replicas());
    }

    @Test
    void alterIsrConflictsWithAnotherLeaderEpochOrIsrAndChangesNothing() {
        String leader = shard.node();
        String follower = shard.replicas().get(1);
        state.apply(alter(leader, 1, shard.replicas(), List.of(leader, follower)));
        long version = state.version();

        assertConflict(alter(follower, 1, List.of(leader, follower), List.of(follower)), "led by " + leader);
        assertConflict(alter(leader, 2, List.of(leader, follower), List.of(leader)), "at epoch 1");
        assertConflict(alter(leader, 1, shard.replicas(), List.of(leader)), "the ISR is");
        assertThat(state.version()).isEqualTo(version);
    }

    @Test
    void alterIsrRefusesNonReplicasAndUnknownShards() {
        String leader = shard.node();

        assertThat(state.apply(alter(leader, 1, shard.replicas(), List.of(leader, "n9"))))
                .isInstanceOf(Result.IsrInvalid.class);
        assertThat(state.apply(new Command.AlterIsr("nope", 0, leader, 1, List.of(leader), List.of(leader))))
                .isEqualTo(new Result.PartitionNotFound("nope"));
        assertThat(state.apply(new Command.AlterIsr("p", 1, leader, 1, List.of(leader), List.of(leader))))
                .isEqualTo(new Result.ShardNotFound("p", 1));
        assertThat(shard()).isEqualTo(shard);
    }

    @Test
    void failoverElectsTheFirstLiveIsrMemberAtTheNextEpochWithoutTheSilentNode() {
        String silent = shard.node();
        String second = shard.replicas().get(1);
        String third = shard.replicas().get(2);

        Command.ElectLeaders elect = ShardTransitions.failover(state.view(), silent, Set.of(third)::contains, false)
                .orElseThrow();
        Result result = state.apply(elect);

        assertThat(result).isEqualTo(new Result.LeadersElected(1));
        assertThat(shard()).isEqualTo(new Partition.ShardPlacement(0, third, List.of(third, silent, second),
                List.of(third, second), 2));
        assertThat(state.apply(elect)).as("applied twice: the plan no longer holds").isInstanceOf(Result.Rejected.class);
    }

    @Test
    void withNoLiveIsrMemberTheShardKeepsItsLeaderUnlessUncleanElectionLetsALiveReplicaLead() {
        String leader = shard.node();
        String outOfSync = shard.replicas().get(2);
        state.apply(alter(leader, 1, shard.replicas(), List.of(leader, shard.replicas().get(1))));

        assertThat(ShardTransitions.failover(state.view(), leader, Set.of(outOfSync)::contains, false)).isEmpty();
        Command.ElectLeaders unclean = ShardTransitions.failover(state.view(), leader, Set.of(outOfSync)::contains, true)
                .orElseThrow();

        assertThat(state.apply(unclean)).isEqualTo(new Result.LeadersElected(1));
        assertThat(shard().node()).isEqualTo(outOfSync);
        assertThat(shard().isr()).containsExactly(outOfSync);
        assertThat(shard().epoch()).isEqualTo(2);
    }

    @Test
    void anElectionThatDoesNotHoldIsRefusedWhole() {
        String leader = shard.node();
        String second = shard.replicas().get(1);
        state.apply(new Command.CreatePartition("q", "api", Map.of(), 7, T0, 1, null, 3, null, null));
        Partition.ShardPlacement other = state.view().partitions().get(1).shards().get(0);
        long version = state.version();

        assertRejected(new Command.ElectLeaders(leader, List.of(
                new Command.LeaderChange("p", 0, 1, second, List.of(second)),
                new Command.LeaderChange("q", 0, 1, other.replicas().get(1), List.of(other.replicas().get(1))))));
        assertRejected(new Command.ElectLeaders(leader, List.of(new Command.LeaderChange("p", 0, 2, second,
                List.of(second)))));
        assertRejected(new Command.ElectLeaders(leader, List.of(new Command.LeaderChange("p", 0, 1, "n9",
                List.of("n9")))));
        assertRejected(new Command.ElectLeaders(leader, List.of(new Command.LeaderChange("p", 0, 1, second,
                List.of(second, "n9")))));
        assertRejected(new Command.ElectLeaders(second, List.of(new Command.LeaderChange("p", 0, 1, second,
                List.of(second)))));
        assertThat(state.version()).isEqualTo(version);
        assertThat(shard()).isEqualTo(shard);
    }

    @Test
    void aDrainHandsLeadershipToAnActiveIsrMemberAndKeepsTheIsr() {
        String leader = shard.node();
        state.apply(new Command.SetNodeState(shard.replicas().get(1), State.DRAINING, T0));

        Command.ElectLeaders handOver = ShardTransitions.handOver(state.view(), leader, node -> true).orElseThrow();
        state.apply(handOver);

        String third = shard.replicas().get(2);
        assertThat(shard().node()).as("not the draining follower").isEqualTo(third);
        assertThat(shard().isr()).containsExactlyInAnyOrderElementsOf(shard.replicas());
        assertThat(shard().epoch()).isEqualTo(2);
        assertThat(ShardTransitions.handOver(state.view(), leader, node -> true)).as("it leads nothing now").isEmpty();
    }

    private void assertConflict(Command.AlterIsr command, String reason) {
        Result result = state.apply(command);
        assertThat(result).isInstanceOf(Result.IsrConflict.class);
        assertThat(((Result.IsrConflict) result).current()).isEqualTo(shard());
        assertThat(((Result.IsrConflict) result).reason()).contains(reason);
    }

    private void assertRejected(Command command) {
        assertThat(state.apply(command)).isInstanceOf(Result.Rejected.class);
    }

    private static Command.AlterIsr alter(String leader, long epoch, List<String> isr, List<String> newIsr) {
        return new Command.AlterIsr("p", 0, leader, epoch, isr, newIsr);
    }

    private Partition.ShardPlacement shard() {
        return state.view().partitions().get(0).shards().get(0);
    }
}
