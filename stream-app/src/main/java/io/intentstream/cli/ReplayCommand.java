package io.intentstream.cli;

import io.intentstream.config.IntentConfig;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.ingest.Causes;
import io.intentstream.registry.RegistryException;
import org.apache.kafka.common.errors.SerializationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** {@code replay}: a recorded clickstream into the input topics, as Avro, paced or at full speed. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays a clickstream CSV into the input topics as Avro events.",
                "Formats: REES46, Taobao UserBehavior, RetailRocket events.csv, generic "
                        + "(event_id,user_id,session_id,event_time_ms,event_type,item_id,category_id,query,price,quantity).",
                "Malformed rows are counted and listed with line numbers; they never stop the replay."})
public final class ReplayCommand implements Callable<Integer> {
    enum Timestamps { WALLCLOCK, SHIFTED, ORIGINAL }

    @Parameters(index = "0", paramLabel = "FILE", description = "CSV file (.csv or .csv.gz)")
    Path file;

    @Option(names = "--format", defaultValue = "auto", description = "auto, rees46, taobao, retailrocket or generic (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--speed", defaultValue = "max",
            description = "'max' (as fast as the broker takes it) or N for N x real time, e.g. 60 (default: ${DEFAULT-VALUE})")
    String speed;

    @Option(names = "--timestamps", defaultValue = "wallclock",
            description = "Event times written: wallclock (send time, so the app's age checks accept old data), "
                    + "shifted (source gaps kept, first event = now) or original (default: ${DEFAULT-VALUE})")
    String timestamps;

    @Option(names = "--limit", description = "Stop after this many data rows")
    Long limit;

    @Option(names = {"-c", "--config"}, description = "Properties file (kafka.*, registry.* keys); env INTENTSTREAM_* overrides")
    Path config;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (overrides kafka.bootstrap.servers)")
    String bootstrapServers;

    @Option(names = "--registry-url", description = "Schema registry URL (overrides registry.schema.registry.url)")
    String registryUrl;

    @Override
    public Integer call() throws IOException {
        IntentConfig cfg = IntentConfig.load(config);
        String bootstrap = bootstrapServers != null ? bootstrapServers : (String) cfg.kafkaClientConfig().get("bootstrap.servers");
        String registry = registryUrl != null ? registryUrl : (String) cfg.registryConfig().get("schema.registry.url");
        if (bootstrap == null || registry == null) {
            System.err.println("replay needs --bootstrap-servers and --registry-url (or kafka.bootstrap.servers / registry.schema.registry.url)");
            return 2;
        }
        double factor = parseSpeed(speed);
        Timestamps stamps = Timestamps.valueOf(timestamps.toUpperCase(Locale.ROOT));
        ClickstreamFormat fmt = "auto".equalsIgnoreCase(format) ? detect(file) : ClickstreamFormat.valueOf(format.toUpperCase(Locale.ROOT));
        ReplayReport report = new ReplayReport();
        long size = Files.size(file);
        Progress progress = new Progress(size, System.console() != null);
        String prefix = fmt.name().toLowerCase(Locale.ROOT) + "-" + Integer.toHexString(file.getFileName().toString().hashCode());
        ClickstreamReader reader = new ClickstreamReader(fmt, prefix, report);
        Pacer pacer = new Pacer(factor, stamps);
        long failures;
        System.err.printf("Replaying %s (%s) to %s, speed %s, timestamps %s%n", file, fmt, bootstrap, speed, stamps.name().toLowerCase(Locale.ROOT));
        try (CountingStream counting = new CountingStream(Files.newInputStream(file));
             BufferedReader in = new BufferedReader(new InputStreamReader(
                     file.toString().endsWith(".gz") ? new GZIPInputStream(counting) : counting, StandardCharsets.UTF_8), 1 << 16);
             ShopEventProducer producer = new ShopEventProducer(bootstrap, registry, clientSettings(cfg), e -> { })) {
            BufferedReader limited = limit == null ? in : new LimitedReader(in, limit + (fmt.header ? 1 : 0));
            reader.read(limited, event -> {
                send(producer::send, pacer.stamp(event), report);
                progress.update(counting.count(), report);
            });
            producer.flush();
            progress.done(counting.count(), report);
            failures = producer.failures();
        }
        if (failures > 0) {
            System.err.println(failures + " events could not be written to Kafka");
        }
        System.out.println("replay done: " + report.summary());
        report.malformedLines.stream().limit(20).forEach(l -> System.out.println("  malformed " + l));
        if (report.bad() > 20) {
            System.out.println("  ... " + (report.bad() - 20) + " more malformed rows");
        }
        return failures > 0 ? 1 : 0;
    }

    /**
     * Sends one event. The serializer throws from send() for a value outside the contract (a
     * decimal too large, say); that is one bad event, counted like a malformed row, not the end of
     * the replay. A registry failure is not the row's fault and would fail every row, so it aborts.
     */
    static void send(Consumer<ShopEvent> producer, ShopEvent event, ReplayReport report) {
        try {
            producer.accept(event);
        } catch (SerializationException e) {
            if (causedByRegistry(e)) {
                throw e;
            }
            report.rejected(event.eventId(), e.getMessage());
        }
    }

    private static boolean causedByRegistry(Throwable e) {
        return Causes.find(e, RegistryException.class).isPresent();
    }

    /** kafka.* (TLS, SASL) and registry.* (auth) settings; addresses come from the options. */
    private static Map<String, Object> clientSettings(IntentConfig cfg) {
        Map<String, Object> settings = new HashMap<>(cfg.kafkaClientConfig());
        settings.putAll(cfg.registryConfig());
        return settings;
    }

    static double parseSpeed(String speed) {
        if ("max".equalsIgnoreCase(speed)) {
            return Double.POSITIVE_INFINITY;
        }
        double f = Double.parseDouble(speed.replace("x", ""));
        if (!(f > 0)) {
            throw new IllegalArgumentException("--speed must be 'max' or a positive factor");
        }
        return f;
    }

    private static ClickstreamFormat detect(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
            String first = r.readLine();
            if (first == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            return ClickstreamFormat.detect(first);
        }
    }

    /** Sleeps to keep ×N real time and rewrites event times as asked. */
    static final class Pacer {
        private final double factor;
        private final Timestamps stamps;
        private long firstSource = Long.MIN_VALUE;
        private long maxSource = Long.MIN_VALUE;
        private long startWallMs;
        private long startNanos;

        Pacer(double factor, Timestamps stamps) {
            this.factor = factor;
            this.stamps = stamps;
        }

        ShopEvent stamp(ShopEvent e) {
            if (firstSource == Long.MIN_VALUE) {
                firstSource = e.timeMs();
                startWallMs = System.currentTimeMillis();
                startNanos = System.nanoTime();
            }
            // Unsorted sources (Taobao is ordered by user) never make the replay wait backwards.
            if (e.timeMs() > maxSource) {
                maxSource = e.timeMs();
                if (!Double.isInfinite(factor)) {
                    long due = startNanos + (long) ((maxSource - firstSource) / factor * 1e6);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(60)));
                    }
                }
            }
            long time = switch (stamps) {
                case ORIGINAL -> e.timeMs();
                case SHIFTED -> startWallMs + (e.timeMs() - firstSource);
                case WALLCLOCK -> System.currentTimeMillis();
            };
            return new ShopEvent(e.eventId(), e.userId(), e.sessionId(), time, e.kind(), e.itemId(), e.categoryId(),
                    e.price(), e.query(), e.lines());
        }
    }

    /** Byte position in the (possibly compressed) file, for the progress bar. */
    static final class CountingStream extends java.io.FilterInputStream {
        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Stops after a number of lines (for --limit). */
    static final class LimitedReader extends BufferedReader {
        private long left;

        LimitedReader(BufferedReader in, long lines) {
            super(in, 1);
            this.left = lines;
        }

        @Override
        public String readLine() throws IOException {
            return left-- > 0 ? super.readLine() : null;
        }
    }
}
