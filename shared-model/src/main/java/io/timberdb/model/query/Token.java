package io.timberdb.model.query;

/**
 * One token of a query text.
 *
 * @param kind what it is
 * @param value an identifier's name, a string's or quoted identifier's unescaped content, or the
 *        source text of the other kinds
 * @param start the offset of its first char in the query text
 * @param end the offset just past its last char
 */
record Token(Kind kind, String value, int start, int end) {

    enum Kind {
        IDENTIFIER("an identifier"),
        QUOTED_IDENTIFIER("a quoted identifier"),
        STRING("a string"),
        NUMBER("a number"),
        DURATION("a duration"),
        EQ("'='"),
        NE("'!='"),
        LT("'<'"),
        LE("'<='"),
        GT("'>'"),
        GE("'>='"),
        TILDE("'~'"),
        NOT_TILDE("'!~'"),
        LPAREN("'('"),
        RPAREN("')'"),
        COMMA("','"),
        DOT("'.'"),
        STAR("'*'"),
        PLUS("'+'"),
        MINUS("'-'"),
        EOF("the end of the query");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /** Whether this is the bare identifier {@code keyword}, compared ignoring ASCII case. */
    boolean is(String keyword) {
        return kind == Kind.IDENTIFIER && value.equalsIgnoreCase(keyword);
    }

    /** How an error message names this token. */
    String describe() {
        return switch (kind) {
            case EOF -> kind.description;
            case STRING -> "the string '" + value + "'";
            case QUOTED_IDENTIFIER -> "\"" + value + "\"";
            default -> "'" + value + "'";
        };
    }
}
