package io.intentstream.model;

import io.intentstream.metrics.IntentMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which version folder under {@code model.dir} is served: the newest one that loads at
 * start-up, then every newer or changed folder the watcher sees. A rejected candidate is logged,
 * counted ({@code intentstream_model_swaps_total{outcome="rejected"}}) and not retried until it
 * changes; the model being served keeps serving.
 */
final class ModelWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelWatcher.class);

    private final Path dir;
    private final ModelLoader loader;
    private final Consumer<IntentModel> install;
    private final Supplier<String> servedVersion;
    private final IntentMetrics metrics;
    private volatile Path servedFolder;
    private volatile long servedStamp;
    private volatile String rejectedKey;
    private ScheduledExecutorService executor;

    ModelWatcher(Path dir, ModelLoader loader, Consumer<IntentModel> install, Supplier<String> servedVersion,
                 IntentMetrics metrics) {
        this.dir = dir;
        this.loader = loader;
        this.install = install;
        this.servedVersion = servedVersion;
        this.metrics = metrics;
    }

    /** Installs the newest version that loads; a broken newest must not keep the app down while an older good one is there. */
    void installInitial() throws Exception {
        List<Path> folders = ModelArtifacts.versionsNewestFirst(dir);
        if (folders.isEmpty()) {
            throw new IllegalStateException("model.dir " + dir + " holds no model (" + String.join(" + ", ModelArtifacts.REQUIRED) + ")");
        }
        Exception newestFailure = null;
        for (Path folder : folders) {
            try {
                install.accept(loader.load(ModelArtifacts.fromDirectory(folder)));
                servedFolder = folder;
                servedStamp = ModelArtifacts.modified(folder);
                if (newestFailure != null) {
                    rejectedKey = folders.get(0) + "@" + ModelArtifacts.modified(folders.get(0));
                }
                return;
            } catch (Exception e) {
                log.error("model version {} cannot be served: {}", folder, e.getMessage());
                metrics.modelSwap("rejected").increment();
                newestFailure = newestFailure == null ? e : newestFailure;
            }
        }
        throw newestFailure;
    }

    /**
     * One watcher tick: swaps in the newest version folder if it changed.
     *
     * @return true if a new model was installed
     */
    synchronized boolean checkForNewVersion() {
        Optional<Path> newest;
        try {
            newest = ModelArtifacts.newestVersion(dir);
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot list model.dir {}: {}", dir, e.toString());
            return false;
        }
        if (newest.isEmpty()) {
            return false;
        }
        long stamp = ModelArtifacts.modified(newest.get());
        String key = newest.get() + "@" + stamp;
        if ((newest.get().equals(servedFolder) && stamp == servedStamp) || key.equals(rejectedKey)) {
            return false;
        }
        try {
            IntentModel candidate = loader.load(ModelArtifacts.fromDirectory(newest.get()));
            String previous = servedVersion.get();
            install.accept(candidate);
            servedFolder = newest.get();
            servedStamp = stamp;
            metrics.modelSwap("success").increment();
            log.info("hot-swapped model {} -> {}", previous, candidate.version());
            return true;
        } catch (Exception e) {
            rejectedKey = key;
            metrics.modelSwap("rejected").increment();
            log.error("rejected model candidate {}: {}; still serving {}", newest.get(), e.getMessage(), servedVersion.get());
            return false;
        }
    }

    /** Polls every {@code everyMs} on a daemon thread. */
    synchronized void start(long everyMs) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "intent-model-watcher");
            t.setDaemon(true);
            return t;
        });
        // An exception escaping a tick would cancel the schedule and end hot-swapping silently.
        executor.scheduleWithFixedDelay(() -> {
            try {
                checkForNewVersion();
            } catch (Throwable t) {
                log.error("model watcher tick failed; trying again in {} ms", everyMs, t);
            }
        }, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
