package io.intentstream.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import javax.net.ssl.SSLContext;
import io.intentstream.registry.RegistryException;
import io.intentstream.registry.SchemaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal Confluent-compatible Schema Registry (Avro only) on the JDK's HTTP server: enough of
 * the REST API for Confluent's clients and ours (see {@link RegistryRoutes}). State lives in a
 * {@link SchemaStore}, optionally persisted to a JSON file that is rewritten atomically on change.
 *
 * <p>Binds 127.0.0.1 by default; port 0 picks a free port ({@link #url()} tells which).
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final int requestedPort;
    private final SchemaStore store;
    private final Path dataFile;
    private final String expectedAuthorization;
    private final SSLContext tls;
    private HttpServer server;
    private ExecutorService executor;

    private SchemaRegistryServer(Builder builder) {
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.store = builder.store == null ? new SchemaStore() : builder.store;
        this.dataFile = builder.dataFile;
        this.tls = builder.tls;
        this.expectedAuthorization = builder.userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(builder.userInfo.getBytes(StandardCharsets.UTF_8));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server on 127.0.0.1, ephemeral port, in memory only. Call {@link #start()}. */
    public static SchemaRegistryServer inMemory() {
        return builder().build();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private SchemaStore store;
        private Path dataFile;
        private String userInfo;
        private SSLContext tls;

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** 0 (the default) = any free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Serve an existing store, e.g. a {@code MockSchemaRegistry} scope's. */
        public Builder store(SchemaStore store) {
            this.store = store;
            return this;
        }

        /** Load state from this JSON file if it exists, and rewrite it after every change. */
        public Builder dataFile(Path dataFile) {
            this.dataFile = dataFile;
            return this;
        }

        /** Require HTTP basic auth with these {@code user:password} credentials. */
        public Builder basicAuth(String userInfo) {
            this.userInfo = userInfo;
            return this;
        }

        /** Serve HTTPS with this context (see {@code RegistryTls.serverContext}). */
        public Builder tls(SSLContext tls) {
            this.tls = tls;
            return this;
        }

        public SchemaRegistryServer build() {
            return new SchemaRegistryServer(this);
        }
    }

    public synchronized SchemaRegistryServer start() {
        if (server != null) {
            return this;
        }
        if (dataFile != null) {
            load();
            store.onChange(this::persist);
        }
        try {
            InetSocketAddress address = new InetSocketAddress(host, requestedPort);
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind schema registry to " + host + ":" + requestedPort, e);
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "schema-registry-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        RegistryRoutes routes = new RegistryRoutes(store, JSON);
        server.createContext("/", exchange -> handle(exchange, routes));
        server.start();
        log.info("Schema registry listening on {}", url());
        return this;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234} ({@code https} with TLS). */
    public String url() {
        if (server == null) {
            throw new IllegalStateException("Server not started");
        }
        return (tls == null ? "http://" : "https://") + host + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public SchemaStore store() {
        return store;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange, RegistryRoutes routes) throws IOException {
        int status;
        JsonNode body;
        try (exchange) {
            if (expectedAuthorization != null
                    && !expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"schema-registry\"");
                status = 401;
                body = error(401, RegistryException.UNAUTHORIZED, "Unauthorized");
            } else {
                try {
                    body = routes.route(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestBody().readAllBytes());
                    status = 200;
                } catch (RegistryException e) {
                    status = e.httpStatus();
                    body = error(e.httpStatus(), e.errorCode(), e.detail());
                } catch (RuntimeException e) {
                    log.error("Schema registry request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                    status = 500;
                    body = error(500, RegistryException.STORE_ERROR, "Internal error: " + e);
                }
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static ObjectNode error(int status, int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private void load() {
        if (Files.exists(dataFile)) {
            try {
                store.restore(JSON.readTree(dataFile.toFile()));
                log.info("Loaded schema registry state from {}", dataFile);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + dataFile, e);
            }
        }
    }

    /** Write-then-rename, so a crash never leaves a half-written file behind. */
    private void persist() {
        try {
            Path dir = dataFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, dataFile.getFileName().toString(), ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), store.snapshot(JSON));
            Files.move(tmp, dataFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // The in-memory state is already changed; fail the request so the caller knows it is not durable.
            throw new RegistryException(500, RegistryException.STORE_ERROR, "Cannot persist registry state: " + e);
        }
    }

    /** Standalone: {@code --port 8081 --host 127.0.0.1 --data registry.json --basic-auth user:pw}. */
    public static void main(String[] args) throws InterruptedException {
        Builder builder = builder().port(8081);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> builder.port(Integer.parseInt(args[i + 1]));
                case "--host" -> builder.host(args[i + 1]);
                case "--data" -> builder.dataFile(Path.of(args[i + 1]));
                case "--basic-auth" -> builder.basicAuth(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (use --port, --host, --data, --basic-auth)");
            }
        }
        SchemaRegistryServer server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Schema registry at " + server.url());
        Thread.currentThread().join();
    }
}
