package io.intentstream.bench;

import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.BehaviorSequenceCodec;
import io.intentstream.sequence.TypicalShopper;
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
 * and for every read of a sequence not held decoded, on a {@link TypicalShopper}. Microseconds
 * per call.
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
        shopper = TypicalShopper.at(1_767_600_000_000L);
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
