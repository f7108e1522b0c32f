package io.timberdb.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.alipay.remoting.config.BoltClientOption;
import com.alipay.remoting.exception.RemotingException;
import com.alipay.remoting.rpc.RpcClient;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.rpc.CliRequests;
import io.timberdb.coordinator.state.Command;
import io.timberdb.model.web.TestCertificates;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata group over mutual TLS ({@link RaftTls}): three voters, each with its own key pair
 * signed by one cluster CA (made by {@code keytool} at test time, {@link TestCertificates}), elect a
 * leader and commit, and each voter's Raft port presents its certificate; jraft's own request
 * (GetLeader) over Bolt is answered for a client with a cluster key pair and refused for a plain
 * TCP client, and for clients trusting the cluster CA but with no certificate or one of another
 * CA; a plain voter cannot join.
 */
class RaftTlsIT {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    static Path certificates;

    private static TestCertificates cluster;
    private static TestCertificates other;
    private static final Map<String, X509Certificate> leaves = new HashMap<>();
    private static final Map<String, SSLContext> contexts = new HashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        cluster = TestCertificates.authority(certificates.resolve("cluster"), "timberdb-cluster-ca");
        for (String id : List.of("coordinator-1", "coordinator-2", "coordinator-3")) {
            leaves.put(id, cluster.sign(id));
            contexts.put(id, cluster.context(id));
        }
        contexts.put("no certificate", cluster.context(null));
        other = TestCertificates.authority(certificates.resolve("other"), "another-ca");
        other.sign("intruder");
        contexts.put("another CA", other.context("intruder", cluster));
    }

    /** A voter's TLS: its own key pair, the cluster CA's trust, client certificates required. */
    private static RaftTls tls(String id) {
        SSLContext context = contexts.get(id);
        return RaftTls.of(context::createSSLEngine, true);
    }

    @Test
    void aGroupOverMutualTlsElectsALeaderAndCommitsAndEachVoterPresentsItsCertificate() throws Exception {
        try (RaftTestCluster group = RaftTestCluster.start(3, dir, RaftTestCluster.SETTINGS, RaftTlsIT::tls)) {
            MetadataGroup leader = group.awaitLeader();
            leader.propose(new Command.RegisterNode("storage-1", "http://127.0.0.1:17821", T0)).get(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(30)).until(() -> group.running().stream()
                    .allMatch(voter -> voter.view().nodes().stream().anyMatch(n -> n.id().equals("storage-1"))));
            for (Voter voter : group.voters()) {
                assertThat(served(group.raftBindPort(voter.id()))).as(voter.id()).isEqualTo(leaves.get(voter.id()));
            }
        }
    }

    @Test
    void onlyAClientWithAClusterKeyPairIsAnswered() throws Exception {
        try (RaftTestCluster group = RaftTestCluster.start(3, dir, RaftTestCluster.SETTINGS, RaftTlsIT::tls)) {
            MetadataGroup leader = group.awaitLeader();
            String address = leader.self().raftAddress();

            Object answer = getLeader(address, tls("coordinator-1"));
            assertThat(answer).isInstanceOfSatisfying(CliRequests.GetLeaderResponse.class, response ->
                    assertThat(PeerId.parsePeer(response.getLeaderId()).getEndpoint()).hasToString(address));

            assertThatThrownBy(() -> getLeader(address, RaftTls.none())).as("plain TCP")
                    .isInstanceOf(RemotingException.class);
            assertThatThrownBy(() -> getLeader(address, tls("no certificate"))).as("no client certificate")
                    .isInstanceOf(RemotingException.class);
            assertThatThrownBy(() -> getLeader(address, tls("another CA"))).as("a certificate of another CA")
                    .isInstanceOf(RemotingException.class);
        }
    }

    @Test
    void aPlainVoterCannotJoinAGroupOverTls() throws Exception {
        try (RaftTestCluster group = RaftTestCluster.start(3, dir, RaftTestCluster.SETTINGS, RaftTlsIT::tls)) {
            MetadataGroup leader = group.awaitLeader();
            Voter plain = new Voter("coordinator-4", "127.0.0.1", RaftTestCluster.freePort(),
                    URI.create("http://127.0.0.1:" + RaftTestCluster.freePort()));
            List<Voter> voters = new ArrayList<>(group.voters());
            voters.add(plain);

            try (MetadataGroup joining = MetadataGroup.start(plain.id(), voters, dir.resolve(plain.id()),
                    RaftTestCluster.SETTINGS, 0, RaftTls.none())) {
                // the leader's replicator cannot get through the handshake: the new voter never catches up
                assertThatThrownBy(() -> leader.addVoter(plain).get(60, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(ProposalException.class).hasMessageContaining("catch up");

                assertThat(leader.voterIds()).containsExactlyInAnyOrder("coordinator-1", "coordinator-2", "coordinator-3");
                assertThat(joining.leaderId()).as("nothing from the group reached it").isNull();
                assertThat(joining.view().nodes()).isEmpty();
            }
        }
    }

    /** The certificate a voter's Raft server presents to a client with a cluster key pair. */
    private static X509Certificate served(int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) contexts.get("coordinator-1").getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** jraft's GetLeader request to {@code address} from a Bolt client of its own with {@code tls}. */
    private static Object getLeader(String address, RaftTls tls) throws Exception {
        RpcClient client = new RpcClient();
        if (tls.enabled()) {
            client.option(BoltClientOption.EXTENDED_NETTY_CHANNEL_HANDLER, tls.clientHandlers());
        }
        client.startup();
        try {
            CliRequests.GetLeaderRequest request = CliRequests.GetLeaderRequest.newBuilder()
                    .setGroupId(MetadataGroup.GROUP_ID).setPeerId(address).build();
            return client.invokeSync(address, request, 10_000);
        } finally {
            client.shutdown();
        }
    }
}
