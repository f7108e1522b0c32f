package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps docs/query-language.md honest: every statement of its {@code sql} blocks parses and prints back. */
class LanguageDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "query-language.md");

    @Test
    void everyExampleParsesAndSurvivesTheCanonicalForm() throws IOException {
        List<String> statements = statements(Files.readString(DOCUMENT));

        assertThat(statements).hasSizeGreaterThan(15);
        for (String statement : statements) {
            Query q = QueryParser.parse(statement);
            assertThat(QueryParser.parse(QueryPrinter.print(q))).as(statement).isEqualTo(q);
        }
    }

    /** The statements of the {@code sql} blocks: each block's paragraphs. */
    private static List<String> statements(String markdown) {
        List<String> statements = new ArrayList<>();
        boolean inSql = false;
        StringBuilder current = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                inSql = line.equals("```sql");
            }
            if (inSql && !line.startsWith("```") && !line.isBlank()) {
                current.append(line).append('\n');
            } else if (!current.isEmpty()) {
                statements.add(current.toString());
                current.setLength(0);
            }
        }
        return statements;
    }
}
