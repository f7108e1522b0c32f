package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetadataStateTest {

    private static final Instant T0 = Instant.parse("2025-03-15T10:30:00Z");

    private final MetadataState state = new MetadataState();

    @Test
    void startsEmptyAtVersionZero() {
        assertThat(state.view().version()).isZero();
        assertThat(state.view().nodes()).isEmpty();
        assertThat(state.view().partitions()).isEmpty();
    }

    @Test
    void createPartitionWithoutActiveNodesAnswersNoStorageNodesAndChangesNothing() {
        Result result = state.apply(create("p-1", "web"));

        assertThat(result).isInstanceOf(Result.NoStorageNodes.class);
        assertThat(state.version()).isZero();
        assertThat(state.view().partitions()).isEmpty();
    }

    @Test
    void createsAPartitionAndBumpsTheVersion() {
        register("storage-1", "storage-2", "storage-3");
        long before = state.version();

        Result result = state.apply(new Command.CreatePartition("p-1", "web", Map.of("env", "dev"), 7, T0, 3));

        Partition partition = ((Result.PartitionCreated) result).partition();
        assertThat(partition.id()).isEqualTo("p-1");
        assertThat(partition.name()).isEqualTo("web");
        assertThat(partition.tags()).containsEntry("env", "dev");
        assertThat(partition.retentionDays()).isEqualTo(7);
        assertThat(partition.createdAt()).isEqualTo(T0);
        assertThat(partition.shards()).hasSize(3);
        assertThat(state.version()).isEqualTo(before + 1);
        assertThat(state.view().partition("web")).contains(partition);
        assertThat(state.view().partition("p-1")).contains(partition);
    }

    @Test
    void duplicateNameAnswersPartitionExistsWithoutAChange() {
        register("storage-1");
        Partition first = ((Result.PartitionCreated) state.apply(create("p-1", "web"))).partition();
        long version = state.version();

        Result again = state.apply(create("p-2", "web"));

        assertThat(again).isEqualTo(new Result.PartitionExists(first));
        assertThat(state.version()).isEqualTo(version);
        assertThat(state.view().partitions()).containsExactly(first);
    }

    @Test
    void aNameIsUniqueWithinItsTenantOnlyAndADeletionFreesItThereOnly() {
        register("storage-1");
        Partition acme = ((Result.PartitionCreated) state.apply(createFor("p-1", "web", "acme"))).partition();
        Partition globex = ((Result.PartitionCreated) state.apply(createFor("p-2", "web", "globex"))).partition();

        assertThat(state.apply(createFor("p-3", "web", "acme"))).isEqualTo(new Result.PartitionExists(acme));
        assertThat(state.view().partition("acme", "web")).contains(acme);
        assertThat(state.view().partition("globex", "web")).contains(globex);
        assertThat(state.view().partition("globex", "p-1")).as("another tenant's id").isEmpty();
        assertThat(state.view().partitionsOf("acme")).containsExactly(acme);

        state.apply(new Command.DeletePartition("p-1"));
        assertThat(state.apply(createFor("p-4", "web", "globex"))).isEqualTo(new Result.PartitionExists(globex));
        assertThat(state.apply(createFor("p-5", "web", "acme"))).isInstanceOf(Result.PartitionCreated.class);
    }

    @Test
    void sameCommandAppliedTwiceAnswersTheSamePartition() {
        register("storage-1");
        Command.CreatePartition command = create("p-1", "web");
        Result first = state.apply(command);
        long version = state.version();

        assertThat(state.apply(command)).isEqualTo(first);
        assertThat(state.version()).isEqualTo(version);
    }

    @Test
    void reusedIdForAnotherNameIsRejected() {
        register("storage-1");
        state.apply(create("p-1", "web"));

        assertThat(state.apply(create("p-1", "other"))).isInstanceOf(Result.Rejected.class);
        assertThat(state.view().partitions()).hasSize(1);
    }

    @Test
    void reRegisteringAnUnchangedNodeIsANoOpThatKeepsTheVersion() {
        Result first = state.apply(new Command.RegisterNode("storage-1", "http://a:1", T0));
        long version = state.version();

        Result again = state.apply(new Command.RegisterNode("storage-1", "http://a:1", T0.plusSeconds(60)));

        assertThat(((Result.NodeRegistered) first).changed()).isTrue();
        assertThat(again).isEqualTo(new Result.NodeRegistered(((Result.NodeRegistered) first).node(), false));
        assertThat(state.version()).isEqualTo(version);
    }

    @Test
    void aNewAddressUpdatesTheNodeButKeepsItsRegistrationTime() {
        state.apply(new Command.RegisterNode("storage-1", "http://a:1", T0));

        Result moved = state.apply(new Command.RegisterNode("storage-1", "http://b:2", T0.plusSeconds(60)));

        StorageNode node = ((Result.NodeRegistered) moved).node();
        assertThat(node.address()).isEqualTo("http://b:2");
        assertThat(node.registeredAt()).isEqualTo(T0);
        assertThat(node.state()).isEqualTo(StorageNode.State.ACTIVE);
        assertThat(state.version()).isEqualTo(2);
    }

    @Test
    void placesEachShardOnTheNodeWithFewestShardsTiesByNodeId() {
        register("storage-b", "storage-a", "storage-c");

        Partition first = created(state.apply(new Command.CreatePartition("p-1", "one", Map.of(), 1, T0, 2)));
        Partition second = created(state.apply(new Command.CreatePartition("p-2", "two", Map.of(), 1, T0, 2)));
        Partition third = created(state.apply(new Command.CreatePartition("p-3", "three", Map.of(), 1, T0, 2)));

        assertThat(nodesOf(first)).containsExactly("storage-a", "storage-b");
        assertThat(nodesOf(second)).containsExactly("storage-c", "storage-a");
        assertThat(nodesOf(third)).containsExactly("storage-b", "storage-c");
        assertThat(load(state.view())).containsOnly(Map.entry("storage-a", 2L), Map.entry("storage-b", 2L),
                Map.entry("storage-c", 2L));
    }

    @Test
    void aNewNodeReceivesShardsUntilItCatchesUpButNeverTwoOfOnePartitionWhileOthersHaveNone() {
        register("storage-1", "storage-2");
        state.apply(new Command.CreatePartition("p-1", "one", Map.of(), 1, T0, 4));
        register("storage-3");

        Partition next = created(state.apply(new Command.CreatePartition("p-2", "two", Map.of(), 1, T0, 3)));

        assertThat(nodesOf(next)).containsExactlyInAnyOrder("storage-1", "storage-2", "storage-3");
        assertThat(nodesOf(next).get(0)).isEqualTo("storage-3");
    }

    @Test
    void moreShardsThanNodesWrapAroundEvenly() {
        register("storage-1", "storage-2");

        Partition partition = created(state.apply(new Command.CreatePartition("p-1", "one", Map.of(), 1, T0, 5)));

        assertThat(nodesOf(partition)).containsExactly("storage-1", "storage-2", "storage-1", "storage-2", "storage-1");
    }

    @Test
    void sameCommandsInTheSameOrderGiveTheSameStateOnEveryVoter() {
        List<Command> log = new ArrayList<>();
        for (int i = 5; i >= 1; i--) {
            log.add(new Command.RegisterNode("storage-" + i, "http://n" + i, T0.plusSeconds(i)));
        }
        for (int i = 0; i < 20; i++) {
            log.add(new Command.CreatePartition("p-" + i, "name-" + (i % 15), Map.of("i", "" + i), 1 + i, T0, 1 + i % 4));
        }
        MetadataState a = new MetadataState();
        MetadataState b = new MetadataState();

        List<Result> resultsA = log.stream().map(a::apply).toList();
        List<Result> resultsB = log.stream().map(b::apply).toList();

        assertThat(resultsA).isEqualTo(resultsB);
        assertThat(a.view()).isEqualTo(b.view());
        assertThat(SnapshotCodec.encode(a.snapshot())).isEqualTo(SnapshotCodec.encode(b.snapshot()));
    }

    @Test
    void snapshotRoundTripRestoresTheSameStateAndPlacementLoad() {
        register("storage-1", "storage-2", "storage-3");
        state.apply(new Command.CreatePartition("p-1", "one", Map.of("k", "v"), 3, T0, 2));
        state.apply(new Command.CreatePartition("p-2", "two", Map.of(), 3, T0, 2));

        MetadataState restored = new MetadataState();
        state.apply(new Command.RecordVoter(new VoterAddress("coordinator-4", "127.0.0.1:7814", "http://127.0.0.1:7804")));
        restored.restore(SnapshotCodec.decode(SnapshotCodec.encode(state.snapshot())));

        assertThat(restored.view()).isEqualTo(state.view());
        assertThat(restored.voters()).isEqualTo(state.voters()).hasSize(1);
        // The derived load is rebuilt too: both continue with the same placement.
        Command next = new Command.CreatePartition("p-3", "three", Map.of(), 3, T0, 2);
        assertThat(restored.apply(next)).isEqualTo(state.apply(next));
        assertThat(restored.apply(create("p-4", "one"))).isInstanceOf(Result.PartitionExists.class);
    }

    @Test
    void voterDirectoryRecordsReplacesAndForgetsVotersAdvancingTheVersionOnlyOnChange() {
        VoterAddress four = new VoterAddress("coordinator-4", "127.0.0.1:7814", "http://127.0.0.1:7804");
        VoterAddress moved = new VoterAddress("coordinator-4", "127.0.0.1:7814", "http://127.0.0.1:9804");
        VoterAddress sameAddress = new VoterAddress("coordinator-5", "127.0.0.1:7814", "http://127.0.0.1:7805");

        assertThat(state.apply(new Command.RecordVoter(four))).isEqualTo(new Result.VoterDirectoryChanged("coordinator-4", true));
        assertThat(state.apply(new Command.RecordVoter(four))).isEqualTo(new Result.VoterDirectoryChanged("coordinator-4", false));
        assertThat(state.version()).isEqualTo(1);
        state.apply(new Command.RecordVoter(moved));
        assertThat(state.voters()).containsExactly(moved);
        state.apply(new Command.RecordVoter(sameAddress));
        assertThat(state.voters()).as("one id per raft address").containsExactly(sameAddress);
        assertThat(state.apply(new Command.ForgetVoter("coordinator-4"))).isEqualTo(new Result.VoterDirectoryChanged("coordinator-4", false));
        assertThat(state.apply(new Command.ForgetVoter("coordinator-5"))).isEqualTo(new Result.VoterDirectoryChanged("coordinator-5", true));
        assertThat(state.voters()).isEmpty();
        assertThat(state.version()).isEqualTo(4);
        assertThat(state.view().version()).isEqualTo(4);
    }

    private void register(String... ids) {
        for (String id : ids) {
            state.apply(new Command.RegisterNode(id, "http://" + id + ":7821", T0));
        }
    }

    private static Command.CreatePartition create(String id, String name) {
        return new Command.CreatePartition(id, name, Map.of(), 30, T0, 3);
    }

    private static Partition created(Result result) {
        return ((Result.PartitionCreated) result).partition();
    }

    private static List<String> nodesOf(Partition partition) {
        return partition.shards().stream().map(Partition.ShardPlacement::node).toList();
    }

    static Map<String, Long> load(ClusterView view) {
        return view.partitions().stream().flatMap(p -> p.shards().stream())
                .collect(Collectors.groupingBy(Partition.ShardPlacement::node, Collectors.counting()));
    }

    private static Command.CreatePartition createFor(String id, String name, String tenant) {
        return new Command.CreatePartition(id, name, Map.of(), 30, T0, 1, null, 1, 1, tenant);
    }
}
