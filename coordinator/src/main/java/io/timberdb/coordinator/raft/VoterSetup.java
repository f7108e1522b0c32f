package io.timberdb.coordinator.raft;

import com.alipay.remoting.config.BoltServerOption;
import com.alipay.sofa.jraft.StateMachine;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.option.ApplyTaskMode;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcFactory;
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
 * timing, the non-blocking apply queue, log checksums, TLS), the Bolt server bound to one host and
 * port, with TLS when configured, and the bounded executors behind it. Stateless;
 * {@link MetadataGroup} owns what it builds.
 */
final class VoterSetup {

    /** Bounded queue of the RPC executors; when full, the Bolt I/O thread runs the request itself. */
    private static final int RPC_QUEUE = 4096;

    private VoterSetup() {
    }

    /**
     * The node options of a voter whose state machine is {@code fsm} and whose directory is
     * {@code dataDir}; they carry the voter's TLS to its RPC client ({@link TlsRaftRpcFactory}).
     */
    static NodeOptions nodeOptions(StateMachine fsm, Configuration initialConf, Path dataDir, MetadataGroup.Settings settings,
                                   RaftTls tls) {
        Duration electionTimeout = settings.electionTimeout();
        Duration snapshotInterval = settings.snapshotInterval();
        NodeOptions options = new TlsNodeOptions(tls);
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
     * Checks that a voter with {@code tls} gets it on its client too, before anything starts.
     *
     * @throws IllegalStateException when TLS is enabled but jraft did not load {@link TlsRaftRpcFactory}
     *         (its service file lost, e.g. by shading): the voter would call its TLS peers in plain TCP
     */
    static void requireTlsClients(RaftTls tls) {
        RaftRpcFactory factory = RpcFactoryHelper.rpcFactory();
        if (tls.enabled() && !(factory instanceof TlsRaftRpcFactory)) {
            throw new IllegalStateException("Raft TLS needs jraft's RPC factory to be " + TlsRaftRpcFactory.class.getName()
                    + ", but it is " + factory.getClass().getName());
        }
    }

    /**
     * The Bolt server on {@code host}, with TLS in front of each connection when {@code tls} is
     * enabled: jraft's factory binds every interface, which would expose the Raft port beyond the
     * address the operator configured.
     */
    static RpcServer rpcServer(String host, int port, ExecutorService raftExecutor, ExecutorService cliExecutor, RaftTls tls) {
        RpcFactoryHelper.rpcFactory(); // loads jraft's Bolt settings before the server is built
        com.alipay.remoting.rpc.RpcServer bolt = new com.alipay.remoting.rpc.RpcServer(host, port, true);
        if (tls.enabled()) {
            bolt.option(BoltServerOption.EXTENDED_NETTY_CHANNEL_HANDLER, tls.serverHandlers());
        }
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
