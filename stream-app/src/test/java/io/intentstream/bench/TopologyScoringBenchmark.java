package io.intentstream.bench;

import io.intentstream.app.StreamsProperties;
import io.intentstream.config.IntentConfig;
import io.intentstream.config.ModelSettings;
import io.intentstream.config.ScoringSettings;
import io.intentstream.events.BrowseEvent;
import io.intentstream.ingest.TestEvents;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.schemas.Topics;
import io.intentstream.topology.IntentTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole topology (Avro decode, validation, RocksDB sequence store, scoring, three Avro outputs)
 * on bursty traffic: each invocation, {@value #USERS} shoppers each send a burst of
 * {@value #BURST} views within one scoring interval, then wall-clock time advances one interval.
 * {@code per-event} scores every event (one ORT call each); {@code batched} coalesces each shopper's
 * burst into one score and scores all of them in micro-batches of up to {@code scoring.max.batch}.
 * Throughput is input events processed per second, outputs drained (as bytes) inside the loop.
 *
 * <p>Run: {@code stream-app/bench TopologyScoringBenchmark} (see BENCHMARKS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TopologyScoringBenchmark {
    static final int USERS = 200;
    static final int BURST = 5;

    @Param({"per-event", "batched"})
    public String mode;

    Path stateDir;
    LiveModel model;
    TopologyTestDriver driver;
    TestInputTopic<String, BrowseEvent> browse;
    List<TestOutputTopic<byte[], byte[]>> outputs;
    List<String> vocab;
    long nextEvent;
    long eventTime;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        stateDir = Files.createTempDirectory("topology-bench");
        Map<String, String> overrides = Map.of(
                ScoringSettings.MODE, mode,
                ScoringSettings.MAX_BATCH, "256",
                ModelSettings.INTRA_OP_THREADS, "1", // the production default
                "registry.schema.registry.url", "mock://topology-bench-" + UUID.randomUUID(),
                "streams.application.id", "topology-bench",
                "streams.state.dir", stateDir.toString());
        IntentConfig config = TestModels.config(overrides);
        IntentMetrics metrics = IntentMetrics.noop();
        model = LiveModel.open(config, metrics);
        vocab = TestModels.itemVocab(model);
        Properties props = StreamsProperties.forTopology(config, metrics);
        Instant start = Instant.now();
        eventTime = start.toEpochMilli() - 3_600_000;
        driver = new TopologyTestDriver(IntentTopology.build(config, model, metrics), props, start);
        browse = driver.createInputTopic(Topics.BROWSE.name(), Topics.BROWSE.keySerde().serializer(),
                Topics.BROWSE.valueSerde(config.registryConfig()).serializer());
        outputs = Topics.KEYED_OUTPUTS.stream().map(t -> driver.createOutputTopic(t.name(),
                Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())).toList();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        driver.close();
        model.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(USERS * BURST)
    public int burstThenOneInterval() {
        for (int u = 0; u < USERS; u++) {
            String user = "bench-" + u;
            for (int b = 0; b < BURST; b++) {
                long id = nextEvent++;
                eventTime++;
                browse.pipeInput(user, TestEvents.view("e" + id, user, eventTime,
                        vocab.get((int) (id % Math.min(vocab.size(), 500))), null), eventTime);
            }
        }
        driver.advanceWallClockTime(Duration.ofMillis(20));
        int drained = 0;
        for (TestOutputTopic<byte[], byte[]> out : outputs) {
            List<TestRecord<byte[], byte[]>> records = out.readRecordsToList();
            drained += records.size();
        }
        return drained;
    }
}
