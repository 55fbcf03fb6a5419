package io.intentstream.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadFailurePolicyTest {
    @Test
    void replacesAFewTimesThenShutsDown() {
        ThreadFailurePolicy policy = new ThreadFailurePolicy(2, Duration.ofMinutes(10));
        RuntimeException boom = new RuntimeException("boom");
        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(boom)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() throws InterruptedException {
        ThreadFailurePolicy policy = new ThreadFailurePolicy(1, Duration.ofMillis(50));
        assertThat(policy.handle(new RuntimeException())).isEqualTo(REPLACE_THREAD);
        Thread.sleep(80);
        assertThat(policy.handle(new RuntimeException())).isEqualTo(REPLACE_THREAD);
    }
}
