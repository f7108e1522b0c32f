package io.timberdb.coordinator.raft;

import com.alipay.sofa.jraft.option.NodeOptions;

/**
 * A voter's jraft node options with its {@link RaftTls}: jraft passes a node's options to the RPC
 * factory when it builds the node's client, which is where {@link TlsRaftRpcFactory} finds them.
 *
 * <p>Not thread-safe while being set up, like {@link NodeOptions}; read-only once the node starts.
 */
final class TlsNodeOptions extends NodeOptions {

    private final RaftTls tls;

    TlsNodeOptions(RaftTls tls) {
        this.tls = tls;
    }

    /** The voter's TLS; {@link RaftTls#none()} for plain TCP. */
    RaftTls tls() {
        return tls;
    }
}
