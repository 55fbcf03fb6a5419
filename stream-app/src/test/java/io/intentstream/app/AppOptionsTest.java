package io.intentstream.app;

import io.intentstream.config.IntentConfig;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppOptionsTest {
    @Test
    void advertisedHostDefaultsToTheBindAddressUnlessBoundToEverything() {
        assertThat(AppOptions.loopback(0).advertisedHostOrDefault()).isEqualTo("127.0.0.1");
        assertThat(new AppOptions("10.0.0.5", 8080, null, false, 3, (short) 1).advertisedHostOrDefault()).isEqualTo("10.0.0.5");
        assertThat(new AppOptions("0.0.0.0", 8080, "pod-1.intent", false, 3, (short) 1).advertisedHostOrDefault()).isEqualTo("pod-1.intent");
        assertThat(new AppOptions("0.0.0.0", 8080, null, false, 3, (short) 1).advertisedHostOrDefault()).isNotBlank().isNotEqualTo("0.0.0.0");
    }

    @Test
    void aConfiguredApplicationServerIsThisInstancesAddressSoOwnKeysAreNotForwardedToItself() {
        IntentConfig configured = IntentConfig.of(Map.of("streams.application.server", "pod-2.intent-stream:8080"));
        assertThat(IntentStreamApp.self(configured, AppOptions.loopback(0), 41234))
                .isEqualTo(new HostInfo("pod-2.intent-stream", 8080));
        assertThat(IntentStreamApp.self(IntentConfig.of(Map.of()), AppOptions.loopback(0), 41234))
                .isEqualTo(new HostInfo("127.0.0.1", 41234));
    }
}
