package io.intentstream.it.chaos;

import io.intentstream.clickstream.ShopEvent;
import io.intentstream.it.Await;
import io.intentstream.registry.server.SchemaRegistryServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults of a chaos run, each injected while traffic flows and followed by a measured
 * recovery: the time until a fresh probe event on every input partition has been scored and is
 * visible {@code read_committed} (so "recovered" means every partition is processing and
 * committing again, not merely that a process is up).
 */
final class Faults {
    static final int PARTITIONS = 6;
    // Not a performance budget (FailoverTest asserts 30 s on a quiet machine): a partition that does
    // not process a fresh event within 5 minutes on a loaded 2-core machine is stuck.
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(300);

    private final AppCluster cluster;
    private final BrokerProcess broker;
    private final TrafficPump pump;
    private final OutputLedger ledger;
    private final ChaosReport report;
    private final Random random;
    private final long runStart = System.nanoTime();
    private final List<String> probeUsers = new ArrayList<>();
    private final Path registryData;
    private final int registryPort;
    private SchemaRegistryServer registry;
    private int probeRounds;

    Faults(AppCluster cluster, BrokerProcess broker, SchemaRegistryServer registry, Path registryData, TrafficPump pump,
           OutputLedger ledger, ChaosReport report, long seed) {
        this.cluster = cluster;
        this.broker = broker;
        this.registry = registry;
        this.registryData = registryData;
        this.registryPort = registry.port();
        this.pump = pump;
        this.ledger = ledger;
        this.report = report;
        this.random = new Random(seed);
    }

    /** Every probe shopper sent so far: each has exactly one event. */
    List<String> probeUsers() {
        return List.copyOf(probeUsers);
    }

    private long at() {
        return (System.nanoTime() - runStart) / 1_000_000_000L;
    }

    /**
     * Sends one probe event per input partition and waits until all are scored; returns the time
     * from {@code sinceNanos} to the last one seen.
     */
    long probe(String round, long sinceNanos) {
        String name = round + "-" + (++probeRounds);
        List<String> users = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            ShopEvent e = Shoppers.probe(name, p, PARTITIONS, System.currentTimeMillis());
            users.add(e.userId());
            pump.good().send(e);
        }
        pump.good().flush();
        probeUsers.addAll(users);
        Await.until("probe events of " + name + " scored on every partition", RECOVERY_TIMEOUT,
                () -> users.stream().allMatch(u -> ledger.firstSeenNanos(u) != null));
        long last = users.stream().mapToLong(ledger::firstSeenNanos).max().orElseThrow();
        return (last - sinceNanos) / 1_000_000;
    }

    /** kill -9 of a random instance, restarted at once on its state directory, as an orchestrator would. */
    void killRandomInstance(int n) throws InterruptedException {
        int victim = random.nextInt(cluster.size());
        long at = at();
        long t0 = System.nanoTime();
        cluster.kill9(victim);
        cluster.start(victim);
        long recovery = probe("kill" + n, t0);
        cluster.awaitAllReady();
        long ready = (System.nanoTime() - t0) / 1_000_000;
        report.fault("kill -9 #" + n, at, recovery, "instance " + victim + " killed and restarted; all 3 ready after "
                + ready + " ms");
    }

    /** SIGTERM each instance in turn, waiting for it to be ready before the next. */
    void rollingRestart() throws InterruptedException {
        long at = at();
        long t0 = System.nanoTime();
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            long s = System.nanoTime();
            int exit = cluster.terminate(i);
            if (exit != 0 && exit != 143) {
                throw new AssertionError("instance " + i + " exited with " + exit + " on SIGTERM\n" + cluster.tail(i));
            }
            cluster.start(i);
            cluster.awaitReady(i);
            steps.add("instance " + i + " " + (System.nanoTime() - s) / 1_000_000 + " ms");
        }
        long rolled = System.nanoTime();
        long recovery = probe("rolling", rolled);
        report.fault("rolling restart", at, recovery, "SIGTERM, restart, ready, next: " + String.join(", ", steps)
                + " (" + (rolled - t0) / 1_000_000 + " ms in all); recovery counted from the last instance ready");
    }

    /** Stops the broker (controlled shutdown) and starts it again on the same ports and log. */
    void restartBroker() throws Exception {
        long at = at();
        long t0 = System.nanoTime();
        int exit = broker.stop(Duration.ofSeconds(60));
        long down = System.nanoTime();
        broker.start(Duration.ofSeconds(120));
        long up = System.nanoTime();
        long recovery = probe("broker", t0);
        cluster.awaitAllReady();
        report.fault("broker restart", at, recovery, "SIGTERM (exit " + exit + ") took " + (down - t0) / 1_000_000
                + " ms, start-up " + (up - down) / 1_000_000 + " ms");
    }

    /**
     * Stops the schema registry for {@code outage}. Producers and the app keep using schemas they
     * cached; what needs the registry (a schema id nobody has seen: the barrage's unknown ids, and
     * restarts) fails with a counted {@code registry_unavailable} error and is retried, never dead-lettered.
     */
    void registryOutage(Duration outage) throws InterruptedException {
        long at = at();
        long sentBefore = pump.goodSent();
        long scoresBefore = ledger.scores();
        double unavailableBefore = registryUnavailable();
        registry.close();
        long t0 = System.nanoTime();
        Thread.sleep(outage.toMillis());
        long sentDuring = pump.goodSent() - sentBefore;
        long scoresDuring = ledger.scores() - scoresBefore;
        double unavailable = registryUnavailable() - unavailableBefore;
        registry = SchemaRegistryServer.builder().port(registryPort).dataFile(registryData).build().start();
        long back = System.nanoTime();
        long recovery = probe("registry", back);
        cluster.awaitAllReady();
        report.fault("registry outage", at, recovery, String.format(
                "down %d ms; during it %d good events sent (cached schema ids), %d scores committed, "
                        + "%.0f decodes failed as registry_unavailable (retried, not dead-lettered); recovery from restart",
                (back - t0) / 1_000_000, sentDuring, scoresDuring, unavailable));
        if (unavailable <= 0) {
            report.line("- note: no decode failed on the registry during the outage");
        }
    }

    /** Drops a corrupt model version into model.dir; every instance must reject it and keep serving. */
    void corruptModel(Path modelDir) throws Exception {
        long at = at();
        long t0 = System.nanoTime();
        String version = ModelVersions.dropCorrupt(modelDir);
        Await.until("every instance rejecting model " + version, Duration.ofSeconds(120), () -> {
            for (int i = 0; i < cluster.size(); i++) {
                if (cluster.metricSum(i, "intentstream_model_swaps_total", "outcome=\"rejected\"") < 1) {
                    return false;
                }
            }
            return true;
        });
        long detected = (System.nanoTime() - t0) / 1_000_000;
        long recovery = probe("model", t0);
        report.fault("corrupt model", at, recovery, "v2 (" + version + ", ONNX cut at 4 KB) rejected by all 3 "
                + "instances within " + detected + " ms; scoring continued");
    }

    /** Sum over the instances of intentstream_registry_unavailable_total (an instance that is down counts 0). */
    double registryUnavailable() {
        double sum = 0;
        for (int i = 0; i < cluster.size(); i++) {
            try {
                sum += cluster.metricSum(i, "intentstream_registry_unavailable_total", "");
            } catch (RuntimeException e) {
                // down: its count restarts with it anyway
            }
        }
        return sum;
    }

    void closeRegistry() {
        registry.close();
    }
}
