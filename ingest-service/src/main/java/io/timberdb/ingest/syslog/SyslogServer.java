package io.timberdb.ingest.syslog;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.LogEntry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.InstantSource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.NettyInbound;
import reactor.netty.tcp.TcpServer;
import reactor.netty.udp.UdpInbound;
import reactor.netty.udp.UdpServer;

/**
 * The syslog listeners, on Reactor Netty: TCP ({@link SyslogFrameDecoder}'s framings) and UDP (a
 * datagram is a message), each started when enabled. Messages are parsed and mapped as
 * {@link SyslogParser} and {@link SyslogMapper} say and written to the configured partition in
 * batches of up to {@code batchSize}, a batch going once full or {@code linger} after its first
 * message.
 *
 * <p>Backpressure. Syslog has no acknowledgements. A TCP connection's messages are batched and
 * written {@code batchesInFlight} batches at a time; while they are being written the connection
 * asks for at most four batches' worth ahead, then nothing more, so Reactor Netty stops reading the
 * socket and the sender's TCP window fills: a connection holds at most {@code batchesInFlight} + 4
 * batches and one partial frame. UDP
 * cannot be slowed down: datagrams wait in a queue of {@code maxPendingMessages} while a batch is
 * written, and are dropped (and counted) when it is full.
 *
 * <p>Thread-safe: started and stopped by the container; the listeners' handlers share only the
 * thread-safe intakes and the UDP sink, which only the UDP channel's event loop emits to.
 */
public final class SyslogServer implements SmartLifecycle {

    private final SyslogProperties props;
    private final SyslogIntake tcpIntake;
    private final SyslogIntake udpIntake;
    /** The bound listeners and the UDP writer; volatile as start and stop may run on other threads than readers. */
    private volatile DisposableServer tcp;
    private volatile Connection udp;
    private volatile Disposable udpWriter;

    public SyslogServer(SyslogProperties props, EntryRouter router, InstantSource clock, MeterRegistry metrics) {
        this.props = props;
        this.tcpIntake = new SyslogIntake("tcp", router, props, clock, metrics);
        this.udpIntake = new SyslogIntake("udp", router, props, clock, metrics);
    }

    @Override
    public synchronized void start() {
        if (props.tcp().enabled() && tcp == null) {
            int maxFrame = (int) Math.min(props.maxFrameSize().toBytes(), Integer.MAX_VALUE - 16);
            tcp = TcpServer.create().host(props.host()).port(props.tcp().port())
                    .doOnConnection(c -> c.addHandlerFirst("syslog-frames", new SyslogFrameDecoder(maxFrame, tcpIntake::refuse)))
                    .handle((in, out) -> receiveTcp(in))
                    .bindNow();
        }
        if (props.udp().enabled() && udp == null) {
            Sinks.Many<LogEntry> queue = Sinks.many().unicast()
                    .onBackpressureBuffer(new ArrayBlockingQueue<>(props.maxPendingMessages())); // exactly that many
            udpWriter = udpIntake.writeInBatches(queue.asFlux()).subscribe();
            udp = UdpServer.create().host(props.host()).port(props.udp().port())
                    // one byte more than the largest datagram accepted, so a longer one shows as too long
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(props.maxDatagram() + 1))
                    .handle((in, out) -> receiveUdp(in, queue))
                    .bindNow();
        }
    }

    private Mono<Void> receiveTcp(NettyInbound in) {
        AtomicReference<String> peer = new AtomicReference<>();
        in.withConnection(c -> peer.set(address(c.channel().remoteAddress())));
        SyslogMapper mapper = new SyslogMapper(); // the connection's frames arrive on its event loop, one at a time
        Flux<LogEntry> entries = in.receiveObject()
                .onErrorComplete() // a reset connection: what was read is still written
                .cast(byte[].class)
                .mapNotNull(frame -> tcpIntake.entry(frame, peer.get(), mapper));
        // Written on a subscription of its own: Reactor Netty cancels the handler's once the peer
        // closes, which would abandon the last batch mid-write (or mid-retry).
        Sinks.Empty<Void> written = Sinks.empty();
        tcpIntake.writeInBatches(entries).subscribe(null, e -> written.tryEmitEmpty(), written::tryEmitEmpty);
        return written.asMono();
    }

    private Mono<Void> receiveUdp(UdpInbound in, Sinks.Many<LogEntry> queue) {
        SyslogMapper mapper = new SyslogMapper(); // the one channel's datagrams arrive on its event loop
        return in.receiveObject().cast(DatagramPacket.class).doOnNext(packet -> {
            ByteBuf content = packet.content();
            if (content.readableBytes() > props.maxDatagram()) {
                udpIntake.refuse();
                return;
            }
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes);
            LogEntry entry = udpIntake.entry(bytes, address(packet.sender()), mapper);
            if (entry != null && queue.tryEmitNext(entry).isFailure()) {
                udpIntake.dropped.increment();
            }
        }).then();
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }

    @Override
    public synchronized void stop() {
        if (tcp != null) {
            tcp.disposeNow();
            tcp = null;
        }
        if (udp != null) {
            udp.disposeNow();
            udp = null;
            udpWriter.dispose();
            udpWriter = null;
        }
    }

    @Override
    public boolean isRunning() {
        return tcp != null || udp != null;
    }

    /** The TCP listener's bound port (the chosen one when configured as 0); -1 when it is not listening. */
    public int tcpPort() {
        DisposableServer server = tcp;
        return server == null ? -1 : server.port();
    }

    /** The UDP listener's bound port (the chosen one when configured as 0); -1 when it is not listening. */
    public int udpPort() {
        Connection connection = udp;
        return connection == null ? -1 : ((InetSocketAddress) connection.channel().localAddress()).getPort();
    }
}
