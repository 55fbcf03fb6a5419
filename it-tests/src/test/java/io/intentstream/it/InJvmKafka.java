package io.intentstream.it;

import io.intentstream.demo.EmbeddedKafkaBroker;

/** The default backend: the demo's in-process KRaft broker, so the tests need no Docker. */
final class InJvmKafka implements KafkaBackend {
    private final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void close() {
        broker.close();
    }
}
