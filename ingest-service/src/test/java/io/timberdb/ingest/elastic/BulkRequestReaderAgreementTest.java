package io.timberdb.ingest.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.ingest.push.BodyMutations;
import io.timberdb.model.error.TimberException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link BulkRequestReader} reads a body with one parser while every line is one JSON object on
 * its own line, and line by line from the first line that is not: both must read every line
 * alike. Each body is read after a first item that the whole-body parser reads
 * ({@code {"index":{}}} and a document) and after one that makes the reader go line by line (an
 * {@code update} item, whose source line is not read), and both readings must agree on every
 * later item, or fail alike.
 */
class BulkRequestReaderAgreementTest {

    static final BulkRequestReader READER = new BulkRequestReader(JsonMapper.builder().build());
    static final String WHOLE = "{\"index\":{}}\n{\"message\":\"first\"}\n";
    static final String LINE_BY_LINE = "{\"update\":{}}\n{\"doc\":{}}\n";

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void mutatedBodiesAreReadAlikeByTheWholeBodyParserAndLineByLine(@ForAll("bulk") byte[] body) {
        assertThat(described(WHOLE, body)).isEqualTo(described(LINE_BY_LINE, body));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void linesThatAreNotOneObjectOnTheirOwnAreReadAlike(@ForAll("awkward") String line) {
        byte[] body = ("{\"create\":{}}\n" + line + "\n{\"index\":{\"_id\":\"after\"}}\n{\"message\":\"after\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(described(WHOLE, body)).isEqualTo(described(LINE_BY_LINE, body));
    }

    @Example
    void theLinesAfterALineTheParserCannotTakeAreStillRead() {
        List<String> items = described(WHOLE, """
                {"create":{}}
                {"message":"a"} {"message":"b"}
                {"create":{}}
                {"message":"c"
                {"create":{"_id":"d"}}
                {"message":"d"}
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(items).hasSize(3);
        assertThat(items.get(0)).startsWith("create logs null error document_parsing_exception");
        assertThat(items.get(1)).startsWith("create logs null error document_parsing_exception");
        assertThat(items.get(2)).isEqualTo("create logs d [message=d]");
    }

    /** The items after the first, described, or the request's failure. */
    private static List<String> described(String first, byte[] body) {
        byte[] prefix = first.getBytes(StandardCharsets.UTF_8);
        byte[] whole = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, whole, 0, prefix.length);
        System.arraycopy(body, 0, whole, prefix.length, body.length);
        List<String> described = new ArrayList<>();
        try {
            List<BulkItem> items = READER.read(whole, "logs");
            for (BulkItem item : items.subList(1, items.size())) {
                described.add(item.action() + " " + item.index() + " " + item.id() + " " + (item.error() != null
                        ? "error " + item.error().type() + " " + item.error().status() + " " + item.error().reason()
                        : DocumentFieldsTest.described(item.document())));
            }
        } catch (TimberException e) {
            described.add("failed " + e.code() + " " + e.field() + " " + e.getMessage());
        }
        return described;
    }

    @Provide
    Arbitrary<byte[]> bulk() {
        return BodyMutations.of(BulkFuzzTest.BULK);
    }

    @Provide
    Arbitrary<String> awkward() {
        return Arbitraries.oneOf(
                Arbitraries.of("{\"message\":\"m\"} ", "{\"message\":\"m\"}\t", "{\"message\":\"m\"} x", "{\"message\":\"m\"}{}",
                        " {\"message\":\"m\"}", "{\"message\":\"m\"}\r", "{\"message\":\"m\"}\r\r", "\r{\"message\":\"m\"}",
                        "{\"message\":\n\"m\"}", "{\"message\":\"m\"", "{\"message\":\"m\",\"message\":\"n\"}",
                        "\uFEFF{\"message\":\"m\"}", "{\"message\":\"m\"} // c", "{\"message\":\"m\"} /* c */", "", "  ",
                        "{\"update\":{}}", "[{\"message\":\"m\"}]", "{\"message\":\"m\",\"n\":1e999}"),
                Arbitraries.strings().withChars("{}[]\":, \t\rmx1\n").ofMaxLength(30));
    }
}
