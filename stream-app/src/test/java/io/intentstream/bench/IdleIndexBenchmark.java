package io.intentstream.bench;

import io.intentstream.sequence.IdleIndex;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The idle index's update, which runs twice per event (idle and abandonment watch): a random one
 * of 20,000 indexed shoppers active again at the wall clock's "now". Nanoseconds per put.
 * Run: {@code stream-app/bench IdleIndexBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdleIndexBenchmark {
    static final int SHOPPERS = 20_000;
    final String[] ids = new String[SHOPPERS];
    IdleIndex index;
    long now;
    int next;

    @Setup
    public void setUp() {
        index = new IdleIndex();
        for (int i = 0; i < SHOPPERS; i++) {
            ids[i] = "bench-" + i;
            index.put(ids[i], i);
        }
        now = SHOPPERS;
    }

    @Benchmark
    public int putAtNow() {
        next = (next * 1_103_515_245 + 12_345) & Integer.MAX_VALUE; // a cheap pseudo-random shopper
        index.put(ids[next % SHOPPERS], now++ / 3);
        return index.size();
    }
}
