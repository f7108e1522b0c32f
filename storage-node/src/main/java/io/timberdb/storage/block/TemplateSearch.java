package io.timberdb.storage.block;

import java.nio.charset.StandardCharsets;

/**
 * Decides, from a message template alone ({@link PageFormat}), whether the messages built from it
 * contain a text — so that {@code message CONTAINS} and {@code ICONTAINS} can count or skip every
 * entry of a template without building one message:
 * <ul>
 *   <li>{@link #ALWAYS}: the text lies inside a run of the template's literal text, which every
 *       message of the template holds whole;</li>
 *   <li>{@link #NEVER}: no message of the template can hold it. The test reads the template as a
 *       pattern in which each slot is any run, maybe empty, of the characters a slot can print
 *       ({@code 0-9} and {@code a-f}: decimal and lower-case hex digits) — a superset of the
 *       messages it really builds — and the text fits nowhere in it;</li>
 *   <li>{@link #MAYBE}: the text may run across a slot; the message must be built and searched.</li>
 * </ul>
 * Texts and templates are compared as UTF-8 bytes, which finds exactly the occurrences a search of
 * the decoded strings finds (UTF-8 is self-synchronizing). With {@code ignoreCase} both sides are
 * compared after ASCII lower-casing, as {@code ICONTAINS} defines it; slots print lower case only.
 * A text that does not survive UTF-8 (a lone surrogate) is always {@link #MAYBE}.
 *
 * <p>Stateless; thread-safe.
 */
final class TemplateSearch {

    static final byte MAYBE = 1;
    static final byte ALWAYS = 2;
    static final byte NEVER = 3;

    private TemplateSearch() {
    }

    /** The text as the templates are searched for it: UTF-8 bytes, or null when it has no faithful UTF-8 form. */
    static byte[] utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new String(bytes, StandardCharsets.UTF_8).equals(text) ? bytes : null;
    }

    /**
     * The verdict for {@code needle} (from {@link #utf8}, already ASCII lower-case when
     * {@code ignoreCase}) in the template {@code template[from .. to)}, whose syntax the table
     * has checked.
     */
    static byte verdict(byte[] template, int from, int to, byte[] needle, boolean ignoreCase) {
        if (needle == null) {
            return MAYBE;
        }
        if (needle.length == 0) {
            return ALWAYS;
        }
        // the template as a pattern: literal bytes, and SLOT for a run of slot characters
        int[] pattern = new int[to - from];
        int m = 0;
        for (int i = from; i < to; i++) {
            byte b = template[i];
            if (b == PageFormat.NUMBER) {
                pattern[m++] = SLOT;
            } else if (b == PageFormat.PADDED_NUMBER || b == PageFormat.HEX_NUMBER) {
                pattern[m++] = SLOT;
                i++; // the width
            } else {
                int literal = b == PageFormat.ESCAPE ? template[++i] & 0xFF : b & 0xFF;
                pattern[m++] = ignoreCase ? lower(literal) : literal;
            }
        }
        if (inLiteralRun(pattern, m, needle)) {
            return ALWAYS;
        }
        return fitsAnywhere(pattern, m, needle) ? MAYBE : NEVER;
    }

    private static final int SLOT = -1;
    private static final int[] NOT_ISOLATED = new int[0];

    /**
     * The widths of the template {@code template[from .. to)}'s slots in order (1 for a plain
     * number, the width of a zero-padded one), when the template has at least one slot, every
     * slot is decimal, and no slot has a digit (or another slot) right before or after it: then
     * every maximal run of digits in a message of the template is either literal text or exactly
     * one slot's number. Else an empty array.
     */
    static int[] isolatedSlots(byte[] template, int from, int to) {
        int[] widths = new int[to - from];
        int slots = 0;
        boolean digitBefore = false; // the element before is a digit or a slot
        boolean slotBefore = false;
        for (int i = from; i < to; i++) {
            byte b = template[i];
            if (b == PageFormat.HEX_NUMBER) {
                return NOT_ISOLATED; // hex prints letters and digits
            }
            if (b == PageFormat.NUMBER || b == PageFormat.PADDED_NUMBER) {
                if (digitBefore) {
                    return NOT_ISOLATED;
                }
                widths[slots++] = b == PageFormat.NUMBER ? 1 : template[++i];
                digitBefore = true;
                slotBefore = true;
                continue;
            }
            int literal = b == PageFormat.ESCAPE ? template[++i] & 0xFF : b & 0xFF;
            boolean digit = literal >= '0' && literal <= '9';
            if (digit && slotBefore) {
                return NOT_ISOLATED;
            }
            digitBefore = digit;
            slotBefore = false;
        }
        return slots == 0 ? NOT_ISOLATED : java.util.Arrays.copyOf(widths, slots);
    }

    /**
     * Whether the decimal form of {@code value} (unsigned, below 10^19 as its slot was checked, zero-padded to {@code width} digits)
     * holds the {@code length}-digit number {@code digits} (which may start with zeros) as a run
     * of its digits.
     */
    static boolean decimalHolds(long value, int width, long digits, int length) {
        int size = MessageTemplateDecoder.decimalLength(value, width); // the slot's value is below 10^19: checked
        long rest = value;
        for (int k = 0; k + length <= size; k++) {
            if (Long.remainderUnsigned(rest, MessageTemplateDecoder.POWERS_OF_TEN[length]) == digits) {
                return true;
            }
            rest = Long.divideUnsigned(rest, 10);
        }
        return false;
    }

    private static int lower(int b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static boolean slotPrints(int b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'f';
    }

    /** Whether {@code needle} occurs in a run of literal bytes (between slots). */
    private static boolean inLiteralRun(int[] pattern, int m, byte[] needle) {
        for (int start = 0; start + needle.length <= m; start++) {
            int k = 0;
            while (k < needle.length && pattern[start + k] != SLOT && pattern[start + k] == (needle[k] & 0xFF)) {
                k++;
            }
            if (k == needle.length) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code needle} is a substring of some string the pattern (slots as runs of slot
     * characters, maybe empty) describes: an NFA over pattern positions, started everywhere.
     */
    private static boolean fitsAnywhere(int[] pattern, int m, byte[] needle) {
        boolean[] states = new boolean[m + 1];
        java.util.Arrays.fill(states, true);
        boolean[] next = new boolean[m + 1];
        for (byte nb : needle) {
            int c = nb & 0xFF;
            java.util.Arrays.fill(next, false);
            boolean any = false;
            for (int p = 0; p < m; p++) {
                if (!states[p]) {
                    continue;
                }
                if (pattern[p] == SLOT) {
                    if (slotPrints(c)) {
                        next[p] = true; // the slot goes on
                        any = true;
                    }
                } else if (pattern[p] == c) {
                    next[p + 1] = true;
                    any = true;
                }
            }
            if (!any) {
                return false;
            }
            // a slot may end (or be empty): whoever stands before one may stand after it
            for (int p = 0; p < m; p++) {
                if (next[p] && pattern[p] == SLOT) {
                    next[p + 1] = true;
                }
            }
            boolean[] swap = states;
            states = next;
            next = swap;
        }
        return true;
    }
}
