package io.timberdb.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.protocol.Protocol;
import io.timberdb.bench.protocol.ProtocolFixtures;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The protocol benchmark's native NDJSON body, read back by the native API's own parser. */
class NdjsonBodyDecodesTest {

    @Test
    void theNativeApiParserReadsBackEveryEntryOfTheBatch() {
        List<GeneratedEntry> batch = ProtocolFixtures.batch();
        EntryStream stream = new EntryParser(JsonMapper.builder().build()).open(true);
        stream.feed(ByteBuffer.wrap(Protocol.NDJSON.encode(batch)));
        EntryParser.Parsed parsed = stream.finish();
        assertThat(parsed.entries()).hasSize(batch.size());
        assertThat(ProtocolFixtures.stored(parsed.entries())).isEqualTo(ProtocolFixtures.expected(batch, null));
    }
}
