package io.intentstream.model;

import io.intentstream.config.IntentConfig;
import io.intentstream.config.ModelSettings;
import io.intentstream.metrics.IntentMetrics;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model being served, shared by every stream thread: hands out leases on the current
 * {@link IntentModel} and retires a replaced one only after its in-flight calls return. Loading is
 * {@link ModelLoader}'s job, choosing versions under {@code model.dir} {@link ModelWatcher}'s; with
 * no {@code model.dir} the packaged classpath model is served for the life of the process.
 */
public final class LiveModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveModel.class);

    private final ModelLoader loader;
    private final ModelSettings settings;
    private final IntentMetrics metrics;
    private final AtomicReference<IntentModel> current = new AtomicReference<>();
    private ModelWatcher watcher;

    /** A reference to the model for one call; closing it lets a retired model shut down. */
    public interface Lease extends AutoCloseable {
        IntentModel model();

        @Override
        void close();
    }

    private LiveModel(IntentConfig config, IntentMetrics metrics) {
        this.settings = config.model();
        this.metrics = metrics;
        this.loader = new ModelLoader(settings, config.scoring(), metrics);
    }

    /**
     * Loads, checks and warms the initial model; on return {@link #isReady()} is true. Does not
     * start the watcher (see {@link #startWatcher()}).
     *
     * @throws IllegalStateException if no valid model can be loaded or cuda was required but is missing
     */
    public static LiveModel open(IntentConfig config, IntentMetrics metrics) {
        LiveModel live = new LiveModel(config, metrics);
        try {
            if (live.settings.dir().isEmpty()) {
                live.install(live.loader.load(ModelArtifacts.fromClasspath()));
            } else {
                live.watcher = new ModelWatcher(live.settings.dir().get(), live.loader, live::install, live::version, metrics);
                live.watcher.installInitial();
            }
            return live;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the model: " + e.getMessage(), e);
        }
    }

    private void install(IntentModel model) {
        IntentModel old = current.getAndSet(model);
        metrics.modelLoaded(model.version(), loader.provider());
        log.info("serving model {} from {} on {}", model.version(), model.source(), loader.provider());
        if (old != null) {
            old.retire();
        }
    }

    public boolean isReady() {
        IntentModel m = current.get();
        return m != null && !m.isClosed();
    }

    /** Takes a reference on the current model; always pair with close (try-with-resources). */
    public Lease lease() {
        while (true) {
            IntentModel m = current.get();
            if (m == null) {
                throw new IllegalStateException("model closed");
            }
            if (m.tryAcquire()) {
                return new Lease() {
                    @Override
                    public IntentModel model() {
                        return m;
                    }

                    @Override
                    public void close() {
                        m.release();
                    }
                };
            }
            // Lost a race with a swap: the new model is already installed; retry.
        }
    }

    public String version() {
        IntentModel m = current.get();
        return m == null ? null : m.version();
    }

    public String provider() {
        return loader.provider();
    }

    /** Max sequence length of the serving model. */
    public int maxSeqLen() {
        return current.get().sidecar().maxSeqLen();
    }

    /**
     * One watcher tick: swaps in the newest version folder under {@code model.dir} if it changed.
     *
     * @return true if a new model was installed (always false without {@code model.dir})
     */
    public boolean checkForNewVersion() {
        return watcher != null && watcher.checkForNewVersion();
    }

    /** Polls {@code model.dir} every {@code model.watch.interval.ms} on a daemon thread. */
    public void startWatcher() {
        if (watcher != null) {
            watcher.start(settings.watchIntervalMs());
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
        }
        IntentModel m = current.getAndSet(null);
        if (m != null) {
            m.retire();
        }
        metrics.modelUnloaded();
    }
}
