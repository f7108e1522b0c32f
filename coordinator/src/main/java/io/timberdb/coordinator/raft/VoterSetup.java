package io.timberdb.coordinator.raft;

import com.alipay.sofa.jraft.StateMachine;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.option.ApplyTaskMode;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import com.alipay.sofa.jraft.util.NamedThreadFactory;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * How a voter's jraft node and Raft RPC server are configured: the node options (directories,
 * timing, the non-blocking apply queue, log checksums), the Bolt server bound to one host and
 * port, and the bounded executors behind it. Stateless; {@link MetadataGroup} owns what it builds.
 */
final class VoterSetup {

    /** Bounded queue of the RPC executors; when full, the Bolt I/O thread runs the request itself. */
    private static final int RPC_QUEUE = 4096;

    private VoterSetup() {
    }

    /** The node options of a voter whose state machine is {@code fsm} and whose directory is {@code dataDir}. */
    static NodeOptions nodeOptions(StateMachine fsm, Configuration initialConf, Path dataDir, MetadataGroup.Settings settings) {
        Duration electionTimeout = settings.electionTimeout();
        Duration snapshotInterval = settings.snapshotInterval();
        NodeOptions options = new NodeOptions();
        options.setFsm(fsm);
        options.setLogUri(dataDir.resolve("log").toString());
        options.setRaftMetaUri(dataDir.resolve("meta").toString());
        options.setSnapshotUri(dataDir.resolve("snapshot").toString());
        options.setInitialConf(initialConf);
        options.setElectionTimeoutMs(Math.toIntExact(electionTimeout.toMillis()));
        options.setSnapshotIntervalSecs(Math.toIntExact(Math.max(1, snapshotInterval.toSeconds())));
        // Full queue answers EBUSY instead of blocking the caller (a Netty thread).
        options.setApplyTaskMode(ApplyTaskMode.NonBlocking);
        options.setEnableMetrics(false);
        RaftOptions raft = new RaftOptions();
        raft.setElectionHeartbeatFactor(settings.heartbeatsPerElectionTimeout());
        raft.setEnableLogEntryChecksum(true);
        options.setRaftOptions(raft);
        return options;
    }

    /**
     * The Bolt server on {@code host}: jraft's factory binds every interface, which would expose
     * the Raft port beyond the address the operator configured.
     */
    static RpcServer rpcServer(String host, int port, ExecutorService raftExecutor, ExecutorService cliExecutor) {
        RpcFactoryHelper.rpcFactory(); // loads jraft's Bolt settings before the server is built
        com.alipay.remoting.rpc.RpcServer bolt = new com.alipay.remoting.rpc.RpcServer(host, port, true);
        RpcServer server = new BoltRpcServer(bolt);
        RaftRpcServerFactory.addRaftRequestProcessors(server, raftExecutor, cliExecutor);
        return server;
    }

    /** A fixed pool with a bounded queue whose overflow runs on the submitting thread. */
    static ExecutorService executor(String name, int threads) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(RPC_QUEUE),
                new NamedThreadFactory(name + "-", true), new ThreadPoolExecutor.CallerRunsPolicy());
    }
}
