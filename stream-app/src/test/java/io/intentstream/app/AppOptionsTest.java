package io.intentstream.app;

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
}
