package io.timberdb.ingest.push;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The limits shared by the write routes (the native API, Loki, OTLP): a request's body size as
 * sent ({@code Content-Length}, then the bytes read; 413 beyond), its size after gzip or zstd (413
 * beyond), and the requests handled at once (one more is answered 429 {@code TOO_MANY_REQUESTS},
 * which the service's problem handler answers with a {@code Retry-After}). For the agent
 * protocols ({@link #receive}) a busy write path ({@code UNAVAILABLE}, 503 on the native API) is
 * answered 429 too: agents retry 429.
 *
 * <p>Two ways to read a body: {@link #receive} joins it and hands over its decoded bytes (the
 * protobuf decoders want them whole); {@link #stream} decodes it chunk by chunk into a sink and
 * never holds it whole (the native API's streaming parser).
 *
 * <p>Thread-safe: the semaphore is the only state, and it is thread-safe.
 */
public final class PushGate {

    private final String api;
    private final long maxBodySize;
    private final long maxDecompressedSize;
    private final int maxConcurrentPushes;
    /** Pushes in progress; bounds the memory a route holds. */
    private final Semaphore pushes;

    /**
     * @param api the protocol's name, for messages ("Loki", "OTLP")
     */
    public PushGate(String api, long maxBodySize, long maxDecompressedSize, int maxConcurrentPushes) {
        this.api = api;
        this.maxBodySize = maxBodySize;
        this.maxDecompressedSize = maxDecompressedSize;
        this.maxConcurrentPushes = maxConcurrentPushes;
        this.pushes = new Semaphore(maxConcurrentPushes);
    }

    /**
     * Reads {@code body} within the limits, gunzips it when {@code Content-Encoding: gzip} and hands
     * the bytes to {@code handle}, holding one of the concurrent-push permits until it completes.
     */
    public <T> Mono<T> receive(Mono<DataBuffer> body, HttpHeaders headers, Function<byte[], Mono<T>> handle) {
        return admit(headers, () -> {
            boolean gzip = "gzip".equalsIgnoreCase(header(headers, HttpHeaders.CONTENT_ENCODING));
            return body.map(PushGate::bytes)
                    .onErrorMap(DataBufferLimitException.class, e -> tooLarge()) // a chunked body past the codecs' limit
                    .defaultIfEmpty(new byte[0])
                    .map(bytes -> plain(bytes, gzip))
                    .flatMap(handle);
        }).onErrorMap(TimberException.class, PushGate::busyAsTooMany);
    }

    /**
     * Runs {@code work} holding one of the concurrent-request permits until it completes; refuses
     * a {@code Content-Length} past the maximum body size (413) and a request beyond the permits
     * (429) before any of the body is read.
     */
    public <T> Mono<T> admit(HttpHeaders headers, Supplier<Mono<T>> work) {
        return Mono.defer(() -> {
            if (headers.getContentLength() > maxBodySize) {
                return Mono.error(tooLarge());
            }
            if (!pushes.tryAcquire()) {
                return Mono.error(new TimberException(ErrorCode.TOO_MANY_REQUESTS, "all " + maxConcurrentPushes
                        + " " + api + " requests this node takes at once are in progress"));
            }
            return Mono.defer(work).doFinally(signal -> pushes.release());
        });
    }

    /**
     * Decodes {@code body} as it arrives, by its {@code Content-Encoding} ({@link ContentDecoder}:
     * none, gzip or zstd; any other is 415), handing the decoded bytes to {@code sink} piece by
     * piece; each chunk is released once decoded. Past the maximum body size as sent, or the
     * maximum decoded size, the body is refused (413) as soon as the limit is crossed; what the
     * sink throws ends the read. Completes once the whole body is decoded. Call it within
     * {@link #admit} to bound the requests read at once.
     *
     * @param sink takes each decoded piece, valid only during the call
     */
    public Mono<Void> stream(Flux<DataBuffer> body, HttpHeaders headers, Consumer<ByteBuffer> sink) {
        return Mono.using(() -> ContentDecoder.of(header(headers, HttpHeaders.CONTENT_ENCODING)),
                decoder -> {
                    long[] sizes = new long[2]; // as sent, decoded
                    Consumer<ByteBuffer> counted = piece -> {
                        sizes[1] += piece.remaining();
                        if (sizes[1] > maxDecompressedSize) {
                            throw decompressesTooLarge();
                        }
                        sink.accept(piece);
                    };
                    // each chunk is released here, once decoded, and becomes its size: handing the
                    // buffer itself on would let then() discard it, and a discard hook release it again
                    return body.map(chunk -> {
                        try {
                            int size = chunk.readableByteCount();
                            sizes[0] += size;
                            if (sizes[0] > maxBodySize) {
                                throw tooLarge();
                            }
                            try (DataBuffer.ByteBufferIterator buffers = chunk.readableByteBuffers()) {
                                buffers.forEachRemaining(buffer -> decoder.decode(buffer, counted));
                            }
                            return size;
                        } finally {
                            DataBufferUtils.release(chunk);
                        }
                    }).then(Mono.fromRunnable(decoder::finish));
                },
                ContentDecoder::close);
    }

    /** The trimmed value of header {@code name}, or null when it is missing or blank. */
    public static String header(HttpHeaders headers, String name) {
        String value = headers.getFirst(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * Whether the request's body is JSON ({@code application/json}) rather than protobuf (one of
     * {@code protobuf}, or no {@code Content-Type}); any other type is {@code UNSUPPORTED_MEDIA_TYPE}.
     *
     * @param protobufName how the refusal names the protobuf type, e.g. "application/x-protobuf"
     */
    public static boolean isJson(HttpHeaders headers, String protobufName, MediaType... protobuf) {
        MediaType type;
        try {
            type = headers.getContentType();
        } catch (InvalidMediaTypeException e) {
            throw unsupported(headers.getFirst(HttpHeaders.CONTENT_TYPE), protobufName);
        }
        if (type == null || Arrays.stream(protobuf).anyMatch(type::isCompatibleWith)) {
            return false;
        }
        if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
            return true;
        }
        throw unsupported(type.toString(), protobufName);
    }

    private static TimberException unsupported(String type, String protobufName) {
        return new TimberException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + type
                + " is not supported; use " + protobufName + " or application/json");
    }

    /** The largest body accepted after decompression, for codecs of their own (snappy). */
    public long maxDecompressedSize() {
        return maxDecompressedSize;
    }

    /** The refusal of a body that decompresses to more than the maximum. */
    public TimberException decompressesTooLarge() {
        return new TimberException(ErrorCode.PAYLOAD_TOO_LARGE, "the body decompresses to more than "
                + maxDecompressedSize + " bytes");
    }

    /** The readable bytes of {@code buffer}, which is released. */
    public static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private byte[] plain(byte[] body, boolean gzip) {
        if (body.length > maxBodySize) {
            throw tooLarge();
        }
        return gzip ? gunzip(body) : body;
    }

    /** The gunzipped body, refused as too large past the maximum decompressed size. */
    private byte[] gunzip(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] plain = in.readNBytes((int) Math.min(maxDecompressedSize + 1, Integer.MAX_VALUE - 8));
            if (plain.length > maxDecompressedSize) {
                throw decompressesTooLarge();
            }
            return plain;
        } catch (IOException e) {
            throw new TimberException(ErrorCode.MALFORMED_COMPRESSION, "the body is not valid gzip: " + e.getMessage(),
                    null, e);
        }
    }

    private TimberException tooLarge() {
        return new TimberException(ErrorCode.PAYLOAD_TOO_LARGE,
                "the request body exceeds the maximum size of " + maxBodySize + " bytes");
    }

    private static Throwable busyAsTooMany(TimberException e) {
        if (e.code() != ErrorCode.UNAVAILABLE) {
            return e;
        }
        return new TimberException(ErrorCode.TOO_MANY_REQUESTS, e.getMessage(), e.field(), e.properties(), e);
    }
}
