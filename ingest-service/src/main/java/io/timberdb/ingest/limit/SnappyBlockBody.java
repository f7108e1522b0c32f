package io.timberdb.ingest.limit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an ingest route whose non-JSON bodies are one snappy block (Loki's
 * {@code application/x-protobuf} push): the rate limiter then charges such a body the
 * uncompressed length its block announces (the varint that opens it) rather than its compressed
 * size, as it charges a gzip body what it inflates to. The route must refuse a block whose
 * content is not the announced length (snappy-java's {@code uncompress} does), so that a body
 * cannot pass for smaller than it is.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SnappyBlockBody {
}
