package io.timberdb.ingest.push;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The timestamp text of an entry whose protocol sends its time as a number (Loki's and OTLP's
 * nanoseconds): {@code YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ}, always nine fraction digits, which
 * {@code LogEntryInput} parses back on its fast path to the same instant. Written by position:
 * {@link Instant#toString()} costs several times more, once per ingested entry. An instant outside
 * the years 0000-9999 takes {@link Instant#toString()}'s form.
 *
 * <p>Stateless; thread-safe.
 */
public final class TimestampText {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long MIN_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * SECONDS_PER_DAY;
    private static final long MAX_SECOND = (LocalDate.of(9999, 12, 31).toEpochDay() + 1) * SECONDS_PER_DAY - 1;

    private TimestampText() {
    }

    /** The text of the instant {@code epochSecond} + {@code nanos} (0-999,999,999) after the epoch. */
    public static String of(long epochSecond, int nanos) {
        if (epochSecond < MIN_SECOND || epochSecond > MAX_SECOND) {
            return Instant.ofEpochSecond(epochSecond, nanos).toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        char[] text = new char[30];
        digits(text, 0, 4, date.getYear());
        text[4] = '-';
        digits(text, 5, 2, date.getMonthValue());
        text[7] = '-';
        digits(text, 8, 2, date.getDayOfMonth());
        text[10] = 'T';
        digits(text, 11, 2, secondOfDay / 3600);
        text[13] = ':';
        digits(text, 14, 2, secondOfDay / 60 % 60);
        text[16] = ':';
        digits(text, 17, 2, secondOfDay % 60);
        text[19] = '.';
        digits(text, 20, 9, nanos);
        text[29] = 'Z';
        return new String(text);
    }

    /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code from}. */
    private static void digits(char[] text, int from, int width, int value) {
        for (int i = from + width - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
