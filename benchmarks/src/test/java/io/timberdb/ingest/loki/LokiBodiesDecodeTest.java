package io.timberdb.ingest.loki;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.protocol.Protocol;
import io.timberdb.bench.protocol.ProtocolFixtures;
import io.timberdb.ingest.push.PartitionBatches;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The protocol benchmark's Loki bodies, read back by the push route's decoders and mapper: the
 * native entries, each with the source label {@code host} kept as a tag, as the mapping says.
 */
class LokiBodiesDecodeTest {

    private final List<GeneratedEntry> batch = ProtocolFixtures.batch();
    private final PushMapper mapper = new PushMapper(LokiProperties.defaults());

    @Test
    void theSnappyProtobufBodyDecodesToTheNativeEntriesPlusTheSourceLabel() {
        List<PushedStream> streams = new ProtobufPushDecoder(64 << 20).decode(Protocol.LOKI_PROTOBUF.encode(batch));
        assertStreamsHoldTheBatch(streams);
    }

    @Test
    void theJsonBodyDecodesToTheNativeEntriesPlusTheSourceLabel() {
        List<PushedStream> streams = new JsonPushParser(JsonMapper.builder().build()).parse(Protocol.LOKI_JSON.encode(batch));
        assertStreamsHoldTheBatch(streams);
    }

    private void assertStreamsHoldTheBatch(List<PushedStream> streams) {
        // one stream per label set: far fewer streams than entries, each of one label set
        assertThat(streams.size()).isGreaterThan(1).isLessThan(batch.size() / 2);
        assertThat(streams.stream().mapToInt(s -> s.entries().size()).sum()).isEqualTo(batch.size());
        PartitionBatches.Batch mapped = mapper.map(streams, "pb-loki", null).byPartition().get("pb-loki");
        assertThat(ProtocolFixtures.stored(mapped.entries())).isEqualTo(ProtocolFixtures.expected(batch, "host"));
    }
}
