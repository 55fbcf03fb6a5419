package io.intentstream.model;

import io.intentstream.config.IntentConfig;
import io.intentstream.metrics.IntentMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model being served, shared by every stream thread. Loads from {@code model.dir} (newest
 * version folder) or the packaged classpath model, validates and warms it before {@link #isReady()},
 * and hot-swaps newer version folders: a candidate must reproduce its own parity fixtures, else it
 * is rejected (ERROR log + {@code intentstream_model_swaps_total{outcome="rejected"}}) and the old
 * model keeps serving. A replaced session is closed only after its in-flight calls return.
 */
public final class LiveModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveModel.class);

    private final IntentConfig config;
    private final IntentMetrics metrics;
    /** Resolved provider; auto can still drop from cuda to cpu if a CUDA session cannot be created. */
    private volatile String provider;
    private final AtomicReference<IntentModel> current = new AtomicReference<>();
    private volatile Path servedFolder;
    private volatile long servedStamp;
    private volatile String rejectedKey;
    private ScheduledExecutorService watcher;

    /** A reference to the model for one call; closing it lets a retired model shut down. */
    public interface Lease extends AutoCloseable {
        IntentModel model();

        @Override
        void close();
    }

    private LiveModel(IntentConfig config, IntentMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.provider = ExecutionProviders.resolve(config.provider(), metrics);
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
            Optional<Path> dir = config.modelDir();
            if (dir.isEmpty()) {
                live.install(live.prepare(ModelArtifacts.fromClasspath()));
                return live;
            }
            List<Path> folders = ModelArtifacts.versionsNewestFirst(dir.get());
            if (folders.isEmpty()) {
                throw new IllegalStateException("model.dir " + dir.get() + " holds no model (" + ModelArtifacts.ONNX
                        + " + " + ModelArtifacts.SIDECAR + ")");
            }
            // A broken newest version must not keep the app down while an older good one is there.
            Exception newestFailure = null;
            for (Path folder : folders) {
                try {
                    live.install(live.prepare(ModelArtifacts.fromDirectory(folder)));
                    live.servedFolder = folder;
                    live.servedStamp = ModelArtifacts.modified(folder);
                    if (newestFailure != null) {
                        live.rejectedKey = folders.get(0) + "@" + ModelArtifacts.modified(folders.get(0));
                    }
                    return live;
                } catch (Exception e) {
                    log.error("model version {} cannot be served: {}", folder, e.getMessage());
                    metrics.modelSwap("rejected").increment();
                    newestFailure = newestFailure == null ? e : newestFailure;
                }
            }
            throw newestFailure;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the model: " + e.getMessage(), e);
        }
    }

    /** Session + signature check + parity against the version's own fixtures + warm-up. */
    private IntentModel prepare(ModelArtifacts artifacts) throws Exception {
        ModelSidecar sidecar = artifacts.parseSidecar();
        IntentModel model = createSession(artifacts, sidecar);
        try {
            List<ParityFixtures.Case> cases = artifacts.parseParity();
            if (cases.isEmpty() && artifacts.fromModelDir()) {
                throw new IllegalStateException(artifacts.source() + " has no " + ModelArtifacts.PARITY
                        + ": a model from model.dir is served only after it reproduces its exporter's outputs");
            }
            if (!cases.isEmpty()) {
                double diff = ParityFixtures.maxDifference(model, cases);
                if (!(diff <= config.modelParityTolerance())) {
                    throw new IllegalStateException("model " + sidecar.modelVersion() + " fails its parity fixtures: max |diff| "
                            + diff + " > " + config.modelParityTolerance());
                }
            }
            model.warmUp(config.scoringMaxBatch(), config.scoringPadMultiple());
            return model;
        } catch (Exception e) {
            model.retire();
            throw e;
        }
    }

    /**
     * The CUDA probe only proves the provider library loads; creating a session can still fail (no
     * usable device, out of GPU memory). Under auto that falls back to CPU, like a failed probe.
     */
    private IntentModel createSession(ModelArtifacts artifacts, ModelSidecar sidecar) throws Exception {
        try {
            return IntentModel.create(artifacts.onnx(), sidecar, provider, config.intraOpThreads(), artifacts.source());
        } catch (Exception e) {
            if (!"cuda".equals(provider) || config.provider() != IntentConfig.Provider.AUTO) {
                throw e;
            }
            log.warn("inference.provider=auto: CUDA session for {} failed ({}); scoring on CPU", artifacts.source(), e.getMessage());
            metrics.providerFallback();
            provider = "cpu";
            return IntentModel.create(artifacts.onnx(), sidecar, provider, config.intraOpThreads(), artifacts.source());
        }
    }

    private void install(IntentModel model) {
        IntentModel old = current.getAndSet(model);
        metrics.modelLoaded(model.version(), provider);
        log.info("serving model {} from {} on {}", model.version(), model.source(), provider);
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
        return provider;
    }

    /** Max sequence length of the serving model. */
    public int maxSeqLen() {
        return current.get().sidecar().maxSeqLen();
    }

    /**
     * One watcher tick: swaps in the newest version folder under {@code model.dir} if it changed.
     *
     * @return true if a new model was installed
     */
    public synchronized boolean checkForNewVersion() {
        Optional<Path> dir = config.modelDir();
        if (dir.isEmpty()) {
            return false;
        }
        Optional<Path> newest;
        try {
            newest = ModelArtifacts.newestVersion(dir.get());
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot list model.dir {}: {}", dir.get(), e.toString());
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
            IntentModel candidate = prepare(ModelArtifacts.fromDirectory(newest.get()));
            String previous = version();
            install(candidate);
            servedFolder = newest.get();
            servedStamp = stamp;
            metrics.modelSwap("success").increment();
            log.info("hot-swapped model {} -> {}", previous, candidate.version());
            return true;
        } catch (Exception e) {
            rejectedKey = key;
            metrics.modelSwap("rejected").increment();
            log.error("rejected model candidate {}: {}; still serving {}", newest.get(), e.getMessage(), version());
            return false;
        }
    }

    /** Polls {@code model.dir} every {@code model.watch.interval.ms} on a daemon thread. */
    public synchronized void startWatcher() {
        if (watcher != null || config.modelDir().isEmpty()) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "intent-model-watcher");
            t.setDaemon(true);
            return t;
        });
        long every = config.modelWatchIntervalMs();
        // An exception escaping a tick would cancel the schedule and end hot-swapping silently.
        watcher.scheduleWithFixedDelay(() -> {
            try {
                checkForNewVersion();
            } catch (Throwable t) {
                log.error("model watcher tick failed; trying again in {} ms", every, t);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
        IntentModel m = current.getAndSet(null);
        if (m != null) {
            m.retire();
        }
        metrics.modelUnloaded();
    }
}
