package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirtyShoppersTest {
    final ProcessorHarness h = new ProcessorHarness();

    @Test
    void keepsArrivalOrderAndTheNewestRecordTimestampInMemoryAndInTheStore() {
        DirtyShoppers dirty = new DirtyShoppers(h.context);
        dirty.mark("u2", 200);
        dirty.mark("u1", 100);
        dirty.mark("u2", 150);
        assertThat(dirty.users()).containsExactly("u2", "u1");
        assertThat(h.dirtyStore().get("u2")).isEqualTo(200L);
        assertThat(dirty.clear("u2")).isEqualTo(200L);
        assertThat(dirty.contains("u2")).isFalse();
        assertThat(h.dirtyStore().get("u2")).isNull();
        assertThat(dirty.clear("never-dirty")).isNull();
    }

    @Test
    void usersMarkedBeforeACrashAreRestoredFromTheStore() {
        new DirtyShoppers(h.context).mark("u1", 100);
        DirtyShoppers afterRestart = new DirtyShoppers(h.context);
        assertThat(afterRestart.users()).containsExactly("u1");
        assertThat(afterRestart.size()).isEqualTo(1);
    }
}
