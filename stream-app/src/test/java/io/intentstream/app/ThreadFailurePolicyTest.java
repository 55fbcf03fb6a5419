package io.intentstream.app;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.registry.RegistryUnavailableException;
import io.intentstream.registry.serde.AvroDeserializationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadFailurePolicyTest {
    private final IntentMetrics metrics = IntentMetrics.noop();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = new ArrayList<>();
    /** Sleeping advances the fake clock, as a real sleep would. */
    private final ThreadFailurePolicy.Sleeper sleeper = ms -> {
        sleeps.add(ms);
        nanos.addAndGet(ms * 1_000_000L);
    };

    @Test
    void replacesAFewTimesThenShutsDown() {
        ThreadFailurePolicy policy = new ThreadFailurePolicy(2, Duration.ofMinutes(10), metrics, nanos::get, sleeper);
        RuntimeException boom = new RuntimeException("boom");
        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(boom)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(metrics.streamThreadFailure("fault").count()).isEqualTo(3);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        ThreadFailurePolicy policy = new ThreadFailurePolicy(1, Duration.ofMillis(50), metrics, nanos::get, sleeper);
        assertThat(policy.handle(new RuntimeException())).isEqualTo(REPLACE_THREAD);
        nanos.addAndGet(Duration.ofMillis(80).toNanos());
        assertThat(policy.handle(new RuntimeException())).isEqualTo(REPLACE_THREAD);
    }

    @Test
    void aRegistryOutageIsRetriedWithGrowingBackoffForAsLongAsItLastsWithoutUsingTheBudget() {
        ThreadFailurePolicy policy = new ThreadFailurePolicy(1, Duration.ofMinutes(10), metrics, nanos::get, sleeper);
        Throwable outage = new StreamsException("Deserialization exception handler is set to fail",
                new AvroDeserializationException("shop.browse.v1", AvroDeserializationException.Reason.REGISTRY_UNAVAILABLE,
                        1, "connection refused", null));
        for (int i = 0; i < 10; i++) {
            assertThat(policy.handle(outage)).isEqualTo(REPLACE_THREAD);
            assertThat(policy.inTransientFault()).isTrue();
        }
        assertThat(sleeps).startsWith(1000L, 2000L, 4000L, 8000L, 10000L).endsWith(10000L);
        assertThat(metrics.streamThreadFailure("transient").count()).isEqualTo(10);
        // The budget of one replacement for real faults is untouched by the outage.
        assertThat(policy.handle(new RuntimeException("bug"))).isEqualTo(REPLACE_THREAD);

        nanos.addAndGet(Duration.ofSeconds(21).toNanos());
        assertThat(policy.inTransientFault()).isFalse();
        // A new outage after a quiet period starts again at the first backoff.
        policy.handle(new StreamsException(new RegistryUnavailableException(503, 50301, "down", null)));
        assertThat(sleeps.get(sleeps.size() - 1)).isEqualTo(1000L);
    }
}
