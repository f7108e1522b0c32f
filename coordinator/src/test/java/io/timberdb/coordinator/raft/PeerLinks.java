package io.timberdb.coordinator.raft;

import com.alipay.remoting.RemotingAddressParser;
import com.alipay.remoting.Url;
import com.alipay.remoting.rpc.RpcAddressParser;
import com.alipay.remoting.rpc.RpcClient;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.rpc.impl.AbstractClientService;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcClient;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends one voter's outgoing Raft RPCs through proxies of its own, one per peer: its Bolt client
 * gets an address parser that turns each peer's Raft address into the port of the proxy for that
 * link. A voter's own connections are then bidirectional links the fixture can cut, whichever
 * side opened them (a connection carries requests one way and answers the other, so cutting only
 * the proxy in front of a voter would leave its own requests, votes included, getting through).
 *
 * <p>Reaches into jraft's and Bolt's internals (public getters, then the parser fields by
 * reflection): test code only. Thread-safety: the address map is concurrent; Bolt reads it on
 * its own threads.
 */
final class PeerLinks implements RemotingAddressParser {

    private final RpcAddressParser delegate = new RpcAddressParser();
    /** Peer Raft address ({@code host:port}) → the local port of this voter's proxy to it. */
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();

    /** Routes this voter's RPCs to {@code peerAddress} through the proxy on {@code proxyPort}. */
    void route(String peerAddress, int proxyPort) {
        ports.put(peerAddress, proxyPort);
    }

    /** Installs this parser on the Bolt client of a running voter. */
    void installOn(MetadataGroup group) {
        NodeImpl node = (NodeImpl) group.raftNode();
        RpcClient bolt = ((BoltRpcClient) ((AbstractClientService) node.getRpcService()).getRpcClient()).getRpcClient();
        try {
            bolt.setAddressParser(this);
            // The remoting layer and the connection manager were given the parser at startup: replace theirs too.
            set(field(bolt.getClass(), "rpcRemoting").get(bolt));
            set(field(bolt.getClass(), "connectionManager").get(bolt));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Bolt's RpcClient changed: cannot route a voter through proxies", e);
        }
    }

    private void set(Object holder) throws ReflectiveOperationException {
        field(holder.getClass(), "addressParser").set(holder, this);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    private String translate(String address) {
        int query = address.indexOf('?');
        String target = query < 0 ? address : address.substring(0, query);
        Integer port = ports.get(target);
        if (port == null) {
            return address;
        }
        String proxied = target.substring(0, target.lastIndexOf(':') + 1) + port;
        return query < 0 ? proxied : proxied + address.substring(query);
    }

    @Override
    public Url parse(String url) {
        return delegate.parse(translate(url));
    }

    @Override
    public String parseUniqueKey(String url) {
        return delegate.parseUniqueKey(translate(url));
    }

    @Override
    public String parseProperty(String url, String propKey) {
        return delegate.parseProperty(translate(url), propKey);
    }

    @Override
    public void initUrlArgs(Url url) {
        delegate.initUrlArgs(url);
    }
}
