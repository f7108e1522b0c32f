package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the text, the parser answers a query or a query error: never another exception. */
class QueryParserRobustnessTest {

    @Provide
    Arbitrary<String> tokenSoup() {
        Arbitrary<String> token = Arbitraries.of("SELECT", "*", "FROM", "l", "\"a-b\"", "WHERE", "GROUP", "BY", "ORDER",
                "LIMIT", "5", "0", "99.5", "time", "source", "level", "tags", ".", "message", "MATCHES", "CONTAINS",
                "LIKE", "IN", "NOT", "AND", "OR", "EXISTS", "BETWEEN", "now", "(", ")", ",", "-", "+", "1h", "0s",
                "=", "!=", "<", "~", "!~", "'x'", "'2026-11-01T00:00:00Z'", "'a NEAR/2 b'", "'\"p q\" x*'", "'y~'",
                "'(a'", "count", "percentile", "top", "bin", "ASC", "DESC", "EXPLAIN", "--c\n", "'", "\"");
        return token.list().ofMaxSize(14).map(tokens -> String.join(" ", tokens));
    }

    @Property(tries = 3000)
    void answersAQueryOrAQueryError(@ForAll("tokenSoup") String text) {
        parsesOrFailsCleanly(text);
    }

    @Property(tries = 1000)
    void answersAQueryOrAQueryErrorForAnyMatchesSearch(@ForAll("searchSoup") String search) {
        parsesOrFailsCleanly("SELECT * FROM l WHERE message MATCHES '" + search.replace("'", "''") + "'");
    }

    @Provide
    Arbitrary<String> searchSoup() {
        return Arbitraries.of("a", "B", "*", "?", "~", "~1", "~7", "\"", "(", ")", " ", "AND", "OR", "NOT", "NEAR",
                "NEAR/", "NEAR/3", "-", "_", "é", "\t").list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    private static void parsesOrFailsCleanly(String text) {
        try {
            Query q = QueryParser.parse(text);
            assertThat(QueryParser.parse(QueryPrinter.print(q))).isEqualTo(q);
        } catch (TimberException e) {
            assertThat(e.code()).isIn(ErrorCode.QUERY_SYNTAX, ErrorCode.QUERY_INVALID);
            assertThat(e.properties()).containsKeys("line", "column");
        }
    }
}
