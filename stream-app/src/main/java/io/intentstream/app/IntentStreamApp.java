package io.intentstream.app;

import io.intentstream.config.IntentConfig;
import io.intentstream.http.HealthProbe;
import io.intentstream.http.IntentHttpServer;
import io.intentstream.http.Lookup;
import io.intentstream.http.UserStateQueries;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.metrics.ProcessMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.topology.IntentTopology;
import io.intentstream.topology.StoreNames;
import io.intentstream.metrics.ChangelogMeters;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The running product: the intent topology in {@link KafkaStreams}, the served model, Micrometer
 * metrics in Prometheus form and the HTTP surface, with one lifecycle.
 *
 * <p>Order matters: the HTTP server binds first so its real port can be advertised to peers as
 * {@code application.server}; the model is loaded and warmed before Streams starts, so no record
 * waits on a cold session; close runs in reverse.
 */
public final class IntentStreamApp implements HealthProbe, UserStateQueries, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntentStreamApp.class);

    /** How long start-up waits for the cluster to answer at all (a refused login fails at once). */
    static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(60);

    private final IntentConfig config;
    private final AppOptions options;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final IntentMetrics metrics = new IntentMetrics(registry);
    private final RestoreTracker restores = new RestoreTracker();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ProcessMetrics processMetrics = new ProcessMetrics();
    private IntentHttpServer http;
    private LiveModel model;
    private volatile KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private ChangelogMeters changelogMeters;
    private InteractiveQueries queries;
    private volatile ThreadFailurePolicy threadFailures;
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private volatile boolean closed;

    public IntentStreamApp(IntentConfig config, AppOptions options) {
        ContractClasses.trust();
        this.config = config;
        this.options = options;
    }

    /** Starts everything; returns once Streams is starting (see {@link #isReady()} for readiness). */
    public synchronized IntentStreamApp start() {
        processMetrics.bindTo(registry);
        String cluster = KafkaPreflight.check(StreamsProperties.admin(config), PREFLIGHT_TIMEOUT);
        log.info("connected to Kafka cluster {}", cluster);
        http = new IntentHttpServer(new InetSocketAddress(options.httpBind(), options.httpPort()), this, this, registry::scrape).start();
        if (options.createTopics()) {
            TopicCreation.ensure(StreamsProperties.admin(config), options.topicPartitions(), options.replicationFactor());
        }
        model = LiveModel.open(config, metrics);
        HostInfo self = self(config, options, http.port());
        Properties props = StreamsProperties.forInstance(config, metrics, self);
        Topology topology = IntentTopology.build(config, model, metrics);
        streams = new KafkaStreams(topology, props, new CommitAwareClientSupplier(metrics,
                props.getProperty(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)));
        streams.setStateListener((now, before) -> {
            state = now;
            log.info("stream app {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        streams.setGlobalStateRestoreListener(restores);
        threadFailures = new ThreadFailurePolicy(3, Duration.ofMinutes(10), metrics);
        streams.setUncaughtExceptionHandler(threadFailures);
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        changelogMeters = new ChangelogMeters(streams::metrics); // held: Micrometer keeps function meters' objects weakly
        changelogMeters.bindTo(registry);
        queries = new InteractiveQueries(streams, self, StoreNames.LATEST_OUTPUTS);
        streams.start();
        model.startWatcher();
        log.info("intent-stream started: application.id={}, processing.guarantee={}, model {} on {}, http {}",
                props.get(StreamsConfig.APPLICATION_ID_CONFIG), props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                model.version(), model.provider(), self);
        return this;
    }

    /**
     * Where peers reach this instance: {@code streams.application.server} when configured (so that
     * a key this instance owns is answered here, not forwarded to itself), else the HTTP options.
     */
    static HostInfo self(IntentConfig config, AppOptions options, int boundPort) {
        return StreamsProperties.configuredServer(config)
                .orElseGet(() -> new HostInfo(options.advertisedHostOrDefault(), boundPort));
    }

    // ---- health ----------------------------------------------------------------------------
    /** False once Streams has failed for good (ERROR) or stopped: the process should restart. */
    @Override
    public boolean isLive() {
        return !closed && state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
                && state != KafkaStreams.State.NOT_RUNNING;
    }

    /**
     * RUNNING with every store restored, the model loaded and warmed, at least one stream thread
     * alive and processing (the client's state alone stays RUNNING while its only thread is dead or
     * being replaced), and no schema-registry outage in progress.
     */
    @Override
    public boolean isReady() {
        return !closed && state == KafkaStreams.State.RUNNING && restores.allRestored() && model != null
                && model.isReady() && processingThreads() > 0 && !registryOutage();
    }

    @Override
    public String describe() {
        String m = model == null ? "model not loaded" : model.isReady() ? "model " + model.version() + " on " + model.provider() : "model loading";
        return "streams " + state + ", " + processingThreads() + " stream threads processing, "
                + (restores.allRestored() ? "stores restored" : restores.restoring() + " stores restoring") + ", " + m
                + (registryOutage() ? ", schema registry unavailable (retrying)" : "");
    }

    /** Stream threads in RUNNING: the ones actually polling and processing records. */
    int processingThreads() {
        KafkaStreams s = streams;
        if (s == null) {
            return 0;
        }
        try {
            return (int) s.metadataForLocalThreads().stream().filter(t -> "RUNNING".equals(t.threadState())).count();
        } catch (RuntimeException e) {
            return 0; // not started, or closing
        }
    }

    private boolean registryOutage() {
        ThreadFailurePolicy p = threadFailures;
        return p != null && p.inTransientFault();
    }

    public KafkaStreams.State state() {
        return state;
    }

    // ---- queries ---------------------------------------------------------------------------
    @Override
    public Lookup latestScore(String userId, boolean localOnly) {
        InteractiveQueries q = queries;
        return q == null ? Lookup.unavailable(2, "starting") : q.latestScore(userId, localOnly);
    }

    @Override
    public Lookup latestRecommendation(String userId, boolean localOnly) {
        InteractiveQueries q = queries;
        return q == null ? Lookup.unavailable(2, "starting") : q.latestRecommendation(userId, localOnly);
    }

    /** Queries this instance answered by asking the key's owner (multi-instance deployments). */
    public long queriesForwarded() {
        InteractiveQueries q = queries;
        return q == null ? 0 : q.forwarded();
    }

    // ---- accessors for the CLI and the demo's summary ------------------------------------------
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    public IntentMetrics metrics() {
        return metrics;
    }

    /** The running client, for embedding and operations (e.g. scaling threads); null before start. */
    public KafkaStreams streams() {
        return streams;
    }

    public LiveModel model() {
        return model;
    }

    public int httpPort() {
        return http.port();
    }

    public String httpUrl() {
        return "http://" + (http.address().getAddress().isAnyLocalAddress() ? "127.0.0.1" : http.address().getHostString())
                + ":" + http.port();
    }

    /** Blocks until Streams stops or fails (for {@code run}); returns at once after close. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops Streams (committing and leaving the group), the model, metrics and HTTP, in that order. */
    public void close(Duration timeout) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (streams != null) {
            // Leaving the group hands this instance's partitions over at once instead of after the session timeout.
            if (!streams.close(CloseOptions.timeout(timeout)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
                log.warn("Kafka Streams did not stop within {}", timeout);
            }
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (model != null) {
            model.close();
        }
        processMetrics.close();
        if (http != null) {
            http.close();
        }
        registry.close();
        stopped.countDown();
        log.info("intent-stream stopped");
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
