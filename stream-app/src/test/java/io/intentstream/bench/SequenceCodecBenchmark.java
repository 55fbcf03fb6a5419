package io.intentstream.bench;

import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.BehaviorSequenceCodec;
import io.intentstream.sequence.StepAction;
import java.math.BigDecimal;
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
 * The behaviour sequence's store codec, which runs for every event (the sequence is written whole)
 * and for every read of a sequence not held decoded: a shopper like the live benchmark's (50
 * stored events, 50 evicted ids, a cart, a search every 7th event). Microseconds per call.
 * Run: {@code stream-app/bench SequenceCodecBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SequenceCodecBenchmark {
    BehaviorSequence shopper;
    byte[] stored;

    @Setup
    public void setUp() {
        shopper = new BehaviorSequence();
        long t0 = 1_767_600_000_000L;
        for (int n = 0; n < 100; n++) {
            String id = "bench-12345-live-" + n;
            long t = t0 + n * 4_000L;
            BehaviorEvent e = n % 7 == 6
                    ? new BehaviorEvent(id, t, StepAction.SEARCH, null, "cat-05", "running shoes", 0f)
                    : new BehaviorEvent(id, t, n % 5 == 4 ? StepAction.ADD_TO_CART : StepAction.VIEW,
                            String.format("sku-%05d", n * 37 % 3000), "cat-05", null, 24.99f);
            shopper.add(e, "bench-12345-s", 50);
            if (e.action() == StepAction.ADD_TO_CART && n >= 50) {
                shopper.addToCart(e.itemId(), 1, new BigDecimal("24.99"), 10_000);
            }
            shopper.accept(t);
        }
        stored = BehaviorSequenceCodec.encode(shopper);
    }

    @Benchmark
    public byte[] encode() {
        return BehaviorSequenceCodec.encode(shopper);
    }

    @Benchmark
    public BehaviorSequence decode() {
        return BehaviorSequenceCodec.decode(stored);
    }
}
