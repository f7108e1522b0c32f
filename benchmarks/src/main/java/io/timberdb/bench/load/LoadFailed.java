package io.timberdb.bench.load;

/** A failure that ends a load run (exit status 1). */
final class LoadFailed extends RuntimeException {

    LoadFailed(String message) {
        super(message);
    }
}
