package io.timberdb.ingest.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.protocol.Protocol;
import io.timberdb.bench.protocol.ProtocolFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The protocol benchmark's Elasticsearch bulk body, read back by the bulk API's reader and mapper. */
class BulkBodyDecodesTest {

    @Test
    void everyItemIsACreateOfThePathIndexThatMapsToTheNativeEntry() {
        List<GeneratedEntry> batch = ProtocolFixtures.batch();
        List<BulkItem> items = new BulkRequestReader(JsonMapper.builder().build())
                .read(Protocol.ES_BULK.encode(batch), "pb-es-bulk");
        assertThat(items).hasSize(batch.size()).allSatisfy(item -> {
            assertThat(item.action()).isEqualTo("create");
            assertThat(item.index()).isEqualTo("pb-es-bulk");
            assertThat(item.error()).isNull();
        });
        DocumentMapper mapper = new DocumentMapper(ElasticsearchProperties.defaults());
        assertThat(ProtocolFixtures.stored(items, item -> mapper.map(item.document())))
                .isEqualTo(ProtocolFixtures.expected(batch, null));
    }
}
