package io.timberdb.storage.codec;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A bounded pool of reusable native-backed objects (zstd contexts, zlib streams). {@link #take}
 * never blocks: when the pool is empty it creates a new object; {@link #give} keeps at most
 * {@code capacity} idle ones and disposes of the rest. A {@code ThreadLocal} would not do: these
 * objects hold native memory that nothing frees when a pooled thread dies.
 *
 * <p>Thread-safe (the idle queue is concurrent); an object taken belongs to the caller alone
 * until it is given back.
 */
final class ResourcePool<T> {

    private final ArrayBlockingQueue<T> idle;
    private final Supplier<T> factory;
    private final Consumer<T> disposer;

    ResourcePool(int capacity, Supplier<T> factory, Consumer<T> disposer) {
        this.idle = new ArrayBlockingQueue<>(capacity);
        this.factory = factory;
        this.disposer = disposer;
    }

    /** A pool sized to the number of processors: more concurrent users than that gain nothing. */
    static <T> ResourcePool<T> perProcessor(Supplier<T> factory, Consumer<T> disposer) {
        return new ResourcePool<>(Math.max(2, Runtime.getRuntime().availableProcessors()), factory, disposer);
    }

    T take() {
        T pooled = idle.poll();
        return pooled != null ? pooled : factory.get();
    }

    /** Returns an object in a reusable state. */
    void give(T object) {
        if (!idle.offer(object)) {
            disposer.accept(object);
        }
    }

    /** Disposes of an object whose state is unknown (its use failed). */
    void discard(T object) {
        disposer.accept(object);
    }
}
