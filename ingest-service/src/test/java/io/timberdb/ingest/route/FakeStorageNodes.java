package io.timberdb.ingest.route;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.StorageNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Storage nodes for the ingest service's tests: each a Reactor Netty server on a loopback port
 * that records the entry ids of every append it receives and answers from a script (204 when the
 * script is empty), optionally holding the answers until released. Plus a cluster view over them
 * whose refreshes step through a list of leaders. Thread-safe: the server threads and the test
 * share only concurrent collections and sinks.
 */
final class FakeStorageNodes implements AutoCloseable {

    static final String PARTITION = "p-1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Node> nodes = new ArrayList<>();

    /** A node that answers appends. */
    Node start(String id) {
        Node node = new Node(id);
        nodes.add(node);
        return node;
    }

    /** The address of a node that refuses connections: a loopback port nothing listens on. */
    static String refusingAddress() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        nodes.forEach(node -> node.server.disposeNow());
    }

    /** An answer of a node: a status and, unless 204, a problem detail. */
    record Answer(int status, Map<String, Object> problem) {
        static Answer problem(int status, String code, Map<String, Object> extra) {
            Map<String, Object> body = new java.util.HashMap<>(extra);
            body.put("status", status);
            body.put("code", code);
            body.put("detail", code + " from the fake node");
            return new Answer(status, body);
        }
    }

    /** One fake storage node. */
    static final class Node {
        final String id;
        final DisposableServer server;
        /** The entry ids of each append received, in arrival order. */
        final List<List<String>> appends = new CopyOnWriteArrayList<>();
        final Queue<Answer> script = new ConcurrentLinkedQueue<>();
        /** When set, answers wait until it completes. */
        volatile Sinks.Empty<Void> hold;
        /** When set, every append not in the script gets this answer instead of 204. */
        volatile Answer always;

        Node(String id) {
            this.id = id;
            this.server = HttpServer.create().host("127.0.0.1").port(0)
                    .route(routes -> routes.post("/internal/v1/shards/{p}/{s}/entries", (request, response) ->
                            request.receive().aggregate().asString().flatMap(body -> {
                                appends.add(ids(body));
                                Answer answer = script.poll();
                                Answer chosen = answer != null ? answer : always;
                                Mono<Void> wait = hold == null ? Mono.empty() : hold.asMono();
                                return wait.then(chosen == null
                                        ? response.status(HttpResponseStatus.NO_CONTENT).send().then()
                                        : response.status(chosen.status())
                                                .header("Content-Type", "application/problem+json")
                                                .sendString(Mono.just(JSON.writeValueAsString(chosen.problem()))).then());
                            })))
                    .bindNow();
        }

        String address() {
            return "http://127.0.0.1:" + server.port();
        }

        private static List<String> ids(String body) {
            List<String> ids = new ArrayList<>();
            for (JsonNode entry : JSON.readTree(body)) {
                ids.add(entry.get("id").asString());
            }
            return ids;
        }
    }

    /** A view whose shard 0 of {@value #PARTITION} is led by {@code leader}; {@code addresses} maps node ids to URLs. */
    static ClusterView view(long version, String leader, Map<String, String> addresses) {
        List<StorageNode> storage = addresses.entrySet().stream()
                .map(e -> new StorageNode(e.getKey(), e.getValue(), StorageNode.State.ACTIVE, Instant.EPOCH)).toList();
        List<String> replicas = new ArrayList<>(List.of(leader));
        addresses.keySet().stream().sorted().filter(n -> !n.equals(leader)).forEach(replicas::add);
        Partition partition = new Partition(PARTITION, "logs", Map.of(), 30, Instant.EPOCH,
                List.of(new Partition.ShardPlacement(0, replicas, version)), null, null, null, null,
                replicas.size(), 1);
        return new ClusterView(version, null, storage, List.of(partition));
    }

    /**
     * A cluster view source that starts at one view and, on each refresh, moves to the next of a
     * list (staying at the last), or fails like an unreachable coordinator while {@code down}.
     */
    static final class SteppingView implements ClusterViewSource {
        private final Queue<ClusterView> next;
        private volatile ClusterView current;
        final AtomicInteger refreshes = new AtomicInteger();
        volatile boolean down;

        SteppingView(ClusterView first, ClusterView... then) {
            this.current = first;
            this.next = new ConcurrentLinkedQueue<>(List.of(then));
        }

        @Override
        public ClusterView current() {
            return current;
        }

        @Override
        public Mono<ClusterView> refresh() {
            return Mono.defer(() -> {
                refreshes.incrementAndGet();
                if (down) {
                    return Mono.error(new IllegalStateException("no coordinator answers"));
                }
                ClusterView fresh = next.poll();
                if (fresh != null) {
                    current = fresh;
                }
                return Mono.just(current);
            });
        }
    }
}
