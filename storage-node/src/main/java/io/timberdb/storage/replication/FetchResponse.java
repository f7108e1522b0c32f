package io.timberdb.storage.replication;

import io.timberdb.storage.shard.LogPiece;
import io.timberdb.storage.wal.EncodedEntries;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A leader's answer to a follower's fetch, and its binary form on the wire:
 * <pre>
 *   int   magic "TRF1"
 *   long  leader epoch, high watermark, log start, durable end
 *   int   piece count, then for each piece:
 *         long epoch, long base sequence, int entry count, int byte length, the encoded entries
 * </pre>
 * The entries travel as the leader's WAL encoded them; the follower checks that they parse.
 *
 * @param leaderEpoch the epoch the leader leads
 * @param highWatermark the leader's committed point
 * @param logStart the first sequence the leader still holds outside blocks; a follower below it must copy blocks
 * @param durableEnd one past the leader's last durable entry
 * @param pieces the log from the fetched sequence on, each with the epoch that wrote it
 */
public record FetchResponse(long leaderEpoch, long highWatermark, long logStart, long durableEnd,
                            List<Piece> pieces) {

    static final int MAGIC = 0x54524631; // "TRF1"

    /** Consecutive entries written in one epoch. */
    public record Piece(long epoch, LogPiece log) {
    }

    public FetchResponse {
        pieces = List.copyOf(pieces);
    }

    /** The wire form. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(leaderEpoch);
            out.writeLong(highWatermark);
            out.writeLong(logStart);
            out.writeLong(durableEnd);
            out.writeInt(pieces.size());
            for (Piece piece : pieces) {
                EncodedEntries entries = piece.log().entries();
                out.writeLong(piece.epoch());
                out.writeLong(piece.log().baseSequence());
                out.writeInt(entries.size());
                out.writeInt(entries.encodedLength(0, entries.size()));
                entries.writeTo(out, 0, entries.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory
        }
        return bytes.toByteArray();
    }

    /**
     * Reads the wire form.
     *
     * @throws IOException when the bytes are not a fetch response (truncated, another magic,
     *         entries that do not parse)
     */
    public static FetchResponse decode(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a fetch response (bad magic)");
        }
        long epoch = in.readLong();
        long hw = in.readLong();
        long logStart = in.readLong();
        long durableEnd = in.readLong();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative piece count " + count);
        }
        List<Piece> pieces = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            long pieceEpoch = in.readLong();
            long base = in.readLong();
            int entries = in.readInt();
            int length = in.readInt();
            if (entries < 0 || length < 0) {
                throw new IOException("piece " + i + ": negative size");
            }
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new IOException("piece " + i + " is truncated");
            }
            try {
                pieces.add(new Piece(pieceEpoch, new LogPiece(base, EncodedEntries.fromWire(body, 0, length, entries))));
            } catch (IllegalArgumentException e) {
                throw new IOException("piece " + i + " does not parse: " + e.getMessage(), e);
            }
        }
        return new FetchResponse(epoch, hw, logStart, durableEnd, pieces);
    }
}
