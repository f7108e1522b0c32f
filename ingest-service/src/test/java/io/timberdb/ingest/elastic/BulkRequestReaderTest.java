package io.timberdb.ingest.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class BulkRequestReaderTest {

    final BulkRequestReader reader = new BulkRequestReader(JsonMapper.builder().build());

    List<BulkItem> read(String body, String index) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8), index);
    }

    @Test
    void readsIndexAndCreateWithTheActionsIndexOverridingThePathsAndSkipsBlankLines() {
        List<BulkItem> items = read("""
                {"index":{}}\r
                {"message":"a"}

                {"create":{"_index":"other","_id":"c1"}}
                {"message":"b"}""", "logs");
        assertThat(items).extracting(BulkItem::action).containsExactly("index", "create");
        assertThat(items).extracting(BulkItem::index).containsExactly("logs", "other");
        assertThat(items.get(1).id()).isEqualTo("c1");
        assertThat(items.get(1).document().get("message")).isEqualTo("b");
        assertThat(items).extracting(BulkItem::error).containsOnlyNulls();
    }

    @Test
    void refusesDeleteAndUpdateItemByItemAndKeepsReadingAfterThem() {
        List<BulkItem> items = read("""
                {"delete":{"_index":"logs","_id":"1"}}
                {"update":{"_index":"logs","_id":"2"}}
                {"doc":{"message":"x"}}
                {"index":{"_index":"logs"}}
                {"message":"kept"}
                """, null);
        assertThat(items).extracting(BulkItem::action).containsExactly("delete", "update", "index");
        assertThat(items.get(0).error().type()).isEqualTo("illegal_argument_exception");
        assertThat(items.get(0).error().reason()).contains("append-only");
        assertThat(items.get(1).error().status()).isEqualTo(400);
        assertThat(items.get(2).error()).isNull();
    }

    @Test
    void aBadSourceLineAMissingIndexOrAMissingSourceLineFailsOnlyItsItem() {
        List<BulkItem> items = read("""
                {"index":{"_index":"logs"}}
                {"message": oops
                {"index":{}}
                {"message":"no index"}
                {"index":{"_index":"logs"}}
                [1,2]
                {"create":{"_index":"logs"}}
                """, null);
        assertThat(items).extracting(item -> item.error().type()).containsExactly("document_parsing_exception",
                "action_request_validation_exception", "document_parsing_exception", "action_request_validation_exception");
        assertThat(items.get(0).error().reason()).contains("line 2");
        assertThat(items.get(3).error().reason()).contains("line 7");
    }

    @Test
    void linesOutsideTheCommonFormAreReadAsTheirTreeSays() {
        List<BulkItem> items = read("""
                {"index":{"_index":5,"_id":7,"routing":{"a":[1]}}}
                {"message":"a","message":"last","host":{"name":"h1"},"host":{"ip":"10.0.0.1"}}
                {"create":{"_index":"other","_index":"logs","_id":"1","_id":"2"}}
                {"message":null,"message":"b"}
                """, "path");
        assertThat(items).extracting(BulkItem::index).containsExactly("path", "logs");
        assertThat(items).extracting(BulkItem::id).containsExactly("7", "2");
        assertThat(DocumentFieldsTest.described(items.get(0).document())).containsExactly("message=last", "host.ip=10.0.0.1");
        assertThat(items.get(1).document().get("message")).isEqualTo("b");
        assertThat(items).extracting(BulkItem::error).containsOnlyNulls();
    }

    @Test
    void findsEveryLineEndWhereverItFallsInAWordOfEightBytes() {
        StringBuilder body = new StringBuilder();
        for (int length = 0; length < 20; length++) {
            body.append(length % 2 == 0 ? "{\"index\":{}}\n" : "{\"create\":{ }}\r\n")
                    .append("{\"message\":\"").append("m".repeat(length)).append("\"}\n").append(" \n".repeat(length % 3));
        }
        List<BulkItem> items = read(body.toString(), "logs");
        assertThat(items).hasSize(20);
        for (int length = 0; length < 20; length++) {
            assertThat(items.get(length).document().get("message")).isEqualTo("m".repeat(length));
        }
    }

    @Test
    void aMalformedOrUnknownActionLineFailsTheRequestNamingTheLine() {
        assertThatThrownBy(() -> read("{\"index\":{}}\n{\"message\":\"a\"}\nnot json\n", "logs"))
                .isInstanceOfSatisfying(TimberException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON);
                    assertThat(e.field()).isEqualTo("line[3]");
                });
        assertThatThrownBy(() -> read("{\"upsert\":{}}\n{}\n", "logs"))
                .isInstanceOfSatisfying(TimberException.class, e -> {
                    assertThat(e.field()).isEqualTo("line[1]");
                    assertThat(e.getMessage()).contains("expected one of [create, delete, index, update]");
                });
    }
}
