package io.intentstream.ingest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

class CausesTest {
    @Test
    void findsTheOutermostMatchDeepInTheChain() {
        IOException inner = new IOException("inner");
        IOException outer = new IOException("outer", new IllegalStateException(inner));
        RuntimeException chain = new RuntimeException(new UncheckedIOException(outer));

        assertThat(Causes.find(chain, IOException.class)).containsSame(outer);
        assertThat(Causes.find(chain, RuntimeException.class)).containsSame(chain);
        assertThat(Causes.find(chain, ArithmeticException.class)).isEmpty();
        assertThat(Causes.first(chain, t -> "inner".equals(t.getMessage()))).containsSame(inner);
    }

    @Test
    void stopsOnAChainThatLoopsBackOnItself() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b); // a -> b -> a: getCause() never returns null

        assertThat(Causes.find(a, IOException.class)).isEmpty();
        assertThat(Causes.first(a, t -> "b".equals(t.getMessage()))).containsSame(b);
    }

    @Test
    void aNullExceptionHasNoCauses() {
        assertThat(Causes.find(null, Throwable.class)).isEmpty();
    }
}
