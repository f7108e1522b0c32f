package io.timberdb.coordinator.raft;

import com.alipay.remoting.config.BoltClientOption;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.impl.BoltRaftRpcFactory;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcClient;
import com.alipay.sofa.jraft.util.SPI;

/**
 * jraft's Bolt RPC factory, which also gives a voter's Bolt client the voter's {@link RaftTls}.
 * jraft builds a node's RPC client itself, from the one factory of the JVM (loaded once, by
 * priority, from {@code META-INF/services/com.alipay.sofa.jraft.rpc.RaftRpcFactory}: this one
 * outranks jraft's own), passing the node's options; when they are a voter's
 * {@link TlsNodeOptions} with TLS, the client gets its TLS handlers before it starts. Other
 * options (plain voters, jraft's CLI clients) get jraft's plain client.
 *
 * <p>Public for the service loader; not for use by other code. Stateless and thread-safe.
 */
@SPI(priority = 1)
public final class TlsRaftRpcFactory extends BoltRaftRpcFactory {

    @Override
    public ConfigHelper<RpcClient> defaultJRaftClientConfigHelper(RpcOptions opts) {
        ConfigHelper<RpcClient> plain = super.defaultJRaftClientConfigHelper(opts);
        if (!(opts instanceof TlsNodeOptions voter) || !voter.tls().enabled()) {
            return plain;
        }
        RaftTls tls = voter.tls();
        return client -> {
            if (plain != null) {
                plain.config(client);
            }
            ((BoltRpcClient) client).getRpcClient().option(BoltClientOption.EXTENDED_NETTY_CHANNEL_HANDLER,
                    tls.clientHandlers());
        };
    }
}
