package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryParserErrorTest {

    private static TimberException error(String text) {
        TimberException e = catchThrowableOfType(TimberException.class, () -> QueryParser.parse(text));
        assertThat(e).as("an error for %s", text).isNotNull();
        assertThat(e.field()).isEqualTo("query");
        return e;
    }

    private static void syntax(String text, int line, int column, List<String> expected, String found) {
        TimberException e = error(text);
        assertThat(e.code()).isEqualTo(ErrorCode.QUERY_SYNTAX);
        assertThat(e.properties()).containsEntry("line", line).containsEntry("column", column)
                .containsEntry("expected", expected).containsEntry("found", found);
        assertThat(e.getMessage()).startsWith("line " + line + ", column " + column + ": expected ");
    }

    private static TimberException invalid(String text, int line, int column) {
        TimberException e = error(text);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.QUERY_INVALID);
        assertThat(e.properties()).containsEntry("line", line).containsEntry("column", column);
        return e;
    }

    private static TimberException matchesSyntax(String text, int line, int column) {
        TimberException e = error(text);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.QUERY_SYNTAX);
        assertThat(e.properties()).as(e.getMessage()).containsEntry("line", line).containsEntry("column", column);
        return e;
    }

    @Test
    void namesWhatWasExpectedWhereAClauseIsMissing() {
        syntax("", 1, 1, List.of("SELECT"), "the end of the query");
        syntax("SELECT * logs", 1, 10, List.of("FROM"), "'logs'");
        syntax("SELECT * FROM logs\nWHERE", 2, 6, List.of("a field", "NOT", "EXISTS", "'('"), "the end of the query");
        syntax("SELECT * FROM WHERE", 1, 15, List.of("'*'",
                "a partition name (a name, or \"quoted\" when it has other characters or is a keyword)"), "'WHERE'");
        syntax("SELECT * FROM a b", 1, 17, List.of("WHERE", "GROUP BY", "ORDER BY", "LIMIT", "the end of the query"), "'b'");
        syntax("SELECT * FROM a LIMIT 5 x", 1, 25, List.of("the end of the query"), "'x'");
        syntax("SELECT * FROM a WHERE source = 'x')", 1, 35, List.of("AND", "OR", "GROUP BY", "ORDER BY", "LIMIT",
                "the end of the query"), "')'");
        syntax("SELECT * FROM my-app-logs", 1, 15, List.of("a partition name with '-' or '.' in double quotes (\"my-...\")"),
                "'my-'");
    }

    @Test
    void namesTheOperatorsAFieldTakes() {
        syntax("SELECT * FROM a WHERE source 'x'", 1, 30, List.of("'='", "'!='", "IN", "LIKE", "CONTAINS", "ICONTAINS",
                "MATCHES", "'~'", "'!~'", "NOT"), "the string 'x'");
        syntax("SELECT * FROM a WHERE time LIKE 'x'", 1, 28, List.of("'='", "'!='", "'<'", "'<='", "'>'", "'>='",
                "BETWEEN", "NOT BETWEEN"), "'LIKE'");
        syntax("SELECT * FROM a WHERE source NOT = 'x'", 1, 34, List.of("IN", "LIKE", "CONTAINS", "ICONTAINS", "MATCHES"),
                "'='");
        invalid("SELECT * FROM a WHERE source < 'x'", 1, 30);
    }

    @Test
    void reportsLexicalErrorsWhereTheyStart() {
        syntax("SELECT * FROM a WHERE source = 'web", 1, 36,
                List.of("a closing ' for the string opened at line 1, column 32"), "the end of the query");
        syntax("SELECT * FROM a\n  WHERE time > now() - 5mins", 2, 25, List.of("a duration unit (ms, s, m, h or d)"), "'mins'");
        syntax("SELECT * FROM a WHERE time > now() - 1.5h", 1, 38, List.of("a whole number before a duration unit"),
                "'1.5h'");
        syntax("SELECT * FROM a WHERE source = 'a' ; ", 1, 36,
                List.of("a keyword, name, string, number or operator"), "';'");
        syntax("SELECT * FROM a WHERE time > '2026-13-01'", 1, 30,
                List.of("an RFC 3339 timestamp such as '2026-11-01T00:00:00Z'"), "the string '2026-13-01'");
    }

    @Test
    void rejectsMeaninglessQueriesWithTheirPlace() {
        assertThat(invalid("SELECT * FROM a GROUP BY source", 1, 8).getMessage()).contains("SELECT * cannot be grouped");
        assertThat(invalid("SELECT count(*) FROM a ORDER BY max(tags.x) DESC", 1, 33).getMessage())
                .contains("needs max(tags.x) in the SELECT list");
        assertThat(invalid("SELECT * FROM a ORDER BY count(*)", 1, 26).getMessage()).contains("in the SELECT list");
        assertThat(invalid("SELECT source, count(*) FROM a", 1, 8).getMessage())
                .contains("source is neither a GROUP BY key nor aggregated");
        assertThat(invalid("SELECT count(*) FROM a GROUP BY source ORDER BY time", 1, 49).getMessage())
                .contains("needs GROUP BY bin");
        assertThat(invalid("SELECT bin(time, 1m) FROM a", 1, 8).getMessage()).contains("needs GROUP BY bin(time, 1m)");
        assertThat(invalid("SELECT lower(source) FROM a", 1, 8).getMessage()).contains("unknown function 'lower'");
        assertThat(invalid("SELECT * FROM a WHERE upper(source) = 'x'", 1, 23).getMessage()).contains("unknown function");
        assertThat(invalid("SELECT * FROM a WHERE count(*) = '1'", 1, 23).getMessage()).contains("count(...) is an aggregate");
        assertThat(invalid("SELECT percentile(tags.ms, 100.5) FROM a", 1, 28).getMessage())
                .contains("between 0 and 100");
        assertThat(invalid("SELECT top(source, 0) FROM a", 1, 20).getMessage()).contains("top takes");
        assertThat(invalid("SELECT avg(source) FROM a", 1, 12).getMessage()).contains("numeric tag values");
        assertThat(invalid("SELECT count(time) FROM a", 1, 14).getMessage()).contains("not an aggregate");
        assertThat(invalid("SELECT count(*) FROM a GROUP BY message", 1, 33).getMessage()).contains("GROUP BY takes");
        invalid("SELECT count(*) FROM a GROUP BY bin(time, 1m), bin(time, 5m)", 1, 48);
        invalid("SELECT count(*) FROM a GROUP BY bin(time, 0s)", 1, 43);
        invalid("SELECT * FROM a LIMIT 0", 1, 23);
        invalid("SELECT top(source, 3) FROM a ORDER BY top(source, 3)", 1, 39);
        invalid("SELECT * FROM a LIMIT 1000001", 1, 23);
        invalid("SELECT * FROM a WHERE EXISTS source", 1, 30);
        invalid("SELECT * FROM a WHERE source MATCHES 'x'", 1, 23);
        invalid("SELECT * FROM a WHERE message ~ 'a(b'", 1, 33);
        invalid("SELECT * FROM a WHERE source LIKE 'a\\b'", 1, 37);
        invalid("SELECT * FROM a WHERE time > now() - 36501d", 1, 38);
    }

    @Test
    void aReservedWordIsNoShortFormOfATag() {
        syntax("SELECT top FROM a", 1, 8, List.of("a field (time, id, source, message, tags.<key>)"), "'top'");
        syntax("SELECT * FROM a WHERE limit = 'x'", 1, 23, List.of("a field (time, id, source, message, tags.<key>)"),
                "'limit'");
        assertThat(QueryParser.parse("SELECT * FROM a WHERE tags.limit = 'x'").where())
                .isEqualTo(new Predicate.Compare(Field.tag("limit"), CompareOp.EQ, "x"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            error AND          | 33
            error "disk        | 35
            it''s NOT          | 33
            (a OR b) NEAR/2 c  | 24
            a NEAR/2 b NEAR/2 c| 35
            a NEAR/x b         | 26
            web-*              | 27
            **                 | 24
            word~3             | 29
            --                 | 24
            a )                | 26
            ``                 | 24
            """)
    void matchesErrorsPointIntoTheWholeQuery(String search, int column) {
        // the search starts at line 2, column 24 (after the quote)
        matchesSyntax("SELECT * FROM a\nWHERE message MATCHES '" + search + "'", 2, column);
    }
}
