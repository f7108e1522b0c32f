package io.timberdb.model.query;

/**
 * A place in a query text, as query errors report it.
 *
 * @param offset the index of the char in the text, from 0
 * @param line the line, from 1; lines end at {@code '\n'}
 * @param column the column, from 1, counted in code points (a character outside the BMP counts once)
 */
public record Position(int offset, int line, int column) {

    /** The position of the char at {@code offset} in {@code text} (or just past its end). */
    public static Position of(String text, int offset) {
        int end = Math.min(Math.max(offset, 0), text.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(end, line, text.codePointCount(lineStart, end) + 1);
    }
}
