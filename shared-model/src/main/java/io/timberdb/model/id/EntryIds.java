package io.timberdb.model.id;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.UUID;

/**
 * Generates entry ids: 128-bit, time-ordered, unique UUIDs in the version 7 layout (RFC 9562).
 *
 * <pre>
 *  bits    field
 *  0-47    unix milliseconds of generation (big-endian)
 *  48-51   version (0b0111)
 *  52-63   sequence within the millisecond (12 bits, "rand_a" used as a counter)
 *  64-65   variant (0b10)
 *  66-127  random, fixed per generator: tells generators (processes) apart
 * </pre>
 *
 * Ids from one generator strictly increase, also as strings (lower-case hex with fixed dashes
 * sorts like the number): when 4096 ids are taken within one millisecond, the clock is
 * advanced logically rather than repeating a value.
 *
 * <p>Thread-safe: {@link #next()} is synchronized; it is a few arithmetic operations.
 */
public final class EntryIds {

    private final InstantSource clock;
    private final long nodeBits;
    private long lastMillis;
    private int sequence;

    public EntryIds(InstantSource clock) {
        this(clock, new SecureRandom().nextLong());
    }

    EntryIds(InstantSource clock, long randomBits) {
        this.clock = clock;
        this.nodeBits = (randomBits & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    }

    /** The next id. */
    public synchronized String next() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            sequence = 0;
        } else if (++sequence > 0xFFF) {
            lastMillis++;
            sequence = 0;
        }
        long high = (lastMillis << 16) | 0x7000L | sequence;
        return new UUID(high, nodeBits).toString();
    }

    /** The generation time, in epoch milliseconds, encoded in an id. */
    public static long millisOf(String id) {
        return UUID.fromString(id).getMostSignificantBits() >>> 16;
    }
}
