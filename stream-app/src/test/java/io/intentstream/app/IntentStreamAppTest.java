package io.intentstream.app;

import io.intentstream.config.IntentConfig;
import io.intentstream.http.Lookup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Lifecycle edges that need no broker; the running app is covered by it-tests. */
class IntentStreamAppTest {
    @Test
    void beforeStartItIsLiveButNotReadyAndQueriesAskToRetry() {
        IntentStreamApp app = new IntentStreamApp(IntentConfig.of(Map.of()), AppOptions.loopback(0));
        assertThat(app.isLive()).isTrue();
        assertThat(app.isReady()).isFalse();
        Lookup lookup = app.latestScore("someone", false);
        assertThat(lookup.outcome()).isEqualTo(Lookup.Outcome.UNAVAILABLE);
        assertThat(lookup.retryAfterSeconds()).isPositive();
        app.close(Duration.ofSeconds(1));
        assertThat(app.isLive()).isFalse();
        app.close(Duration.ofSeconds(1));   // idempotent
    }
}
