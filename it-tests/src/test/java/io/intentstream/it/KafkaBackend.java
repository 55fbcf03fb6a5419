package io.intentstream.it;

/** A Kafka broker the tests talk to, bound to 127.0.0.1. */
public interface KafkaBackend extends AutoCloseable {
    String bootstrapServers();

    @Override
    void close();
}
