package io.intentstream.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scope for native ONNX Runtime objects (tensors, results) of one call: everything registered is
 * closed together, and a process-wide count of open objects lets tests prove nothing leaks.
 */
public final class NativeResources implements AutoCloseable {
    private static final AtomicLong OPEN = new AtomicLong();
    private final List<AutoCloseable> owned = new ArrayList<>(8);

    public <T extends AutoCloseable> T track(T resource) {
        owned.add(resource);
        OPEN.incrementAndGet();
        return resource;
    }

    /** Native tensors and results created by scoring and not yet closed, in this process. */
    public static long open() {
        return OPEN.get();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing a native resource failed", e);
                }
            } finally {
                OPEN.decrementAndGet();
            }
        }
        owned.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
