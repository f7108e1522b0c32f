package io.timberdb.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.protocol.Protocol;
import io.timberdb.bench.protocol.ProtocolFixtures;
import io.timberdb.ingest.push.PartitionBatches;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The protocol benchmark's OTLP bodies, read back by the logs route's decoders and mapper: the
 * native entries, each with the source attribute {@code host.name} kept as a tag, as the mapping says.
 */
class OtlpBodiesDecodeTest {

    private final ObjectMapper json = JsonMapper.builder().build();
    private final List<GeneratedEntry> batch = ProtocolFixtures.batch();
    private final LogRecordMapper mapper = new LogRecordMapper(OtlpProperties.defaults(), json);

    @Test
    void theProtobufBodyDecodesToTheNativeEntriesPlusTheSourceAttribute() {
        assertRecordsHoldTheBatch(new ProtobufLogsDecoder(json).decode(Protocol.OTLP_PROTOBUF.encode(batch)));
    }

    @Test
    void theJsonBodyDecodesToTheNativeEntriesPlusTheSourceAttribute() {
        assertRecordsHoldTheBatch(new JsonLogsParser(json).parse(Protocol.OTLP_JSON.encode(batch)));
    }

    private void assertRecordsHoldTheBatch(List<OtlpLog> logs) {
        assertThat(logs).hasSize(batch.size()).allSatisfy(log -> {
            assertThat(log.scopeName()).isNull();
            assertThat(log.severityText()).isEqualTo(LogRecordMapper.level(log));
        });
        // one resource per source, shared by its records
        assertThat(logs.stream().map(OtlpLog::resource).distinct().count())
                .isEqualTo(batch.stream().map(GeneratedEntry::source).distinct().count());
        PartitionBatches.Batch mapped = mapper.map(logs, "pb-otlp").byPartition().get("pb-otlp");
        assertThat(ProtocolFixtures.stored(mapped.entries())).isEqualTo(ProtocolFixtures.expected(batch, "host.name"));
    }
}
