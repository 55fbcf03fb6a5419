package io.intentstream.demo;

import io.intentstream.registry.server.SchemaRegistryServer;

import java.nio.file.Path;

/** The project's schema registry server on an ephemeral loopback port, for the demo and tests. */
public final class EmbeddedRegistry implements AutoCloseable {
    private final SchemaRegistryServer server;

    private EmbeddedRegistry(SchemaRegistryServer server) {
        this.server = server;
    }

    /** In memory: schema ids live as long as the process (fine for a broker that does too). */
    public static EmbeddedRegistry start() {
        return new EmbeddedRegistry(SchemaRegistryServer.inMemory().start());
    }

    /**
     * Persisted to {@code dataFile}: a resumed demo's broker still holds records framed with the
     * earlier run's schema ids, so the ids must survive the restart.
     */
    public static EmbeddedRegistry start(Path dataFile) {
        return new EmbeddedRegistry(SchemaRegistryServer.builder().dataFile(dataFile).build().start());
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}
