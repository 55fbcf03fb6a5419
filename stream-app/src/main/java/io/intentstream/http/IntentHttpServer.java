package io.intentstream.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The app's HTTP surface on the JDK's built-in server: health probes, Prometheus metrics and the
 * per-user interactive queries.
 *
 * <pre>
 * GET /health/live                   200 | 503
 * GET /health/ready                  200 | 503
 * GET /metrics                       Prometheus text format
 * GET /users/{id}/intent             200 JSON | 400 | 404 | 503 + Retry-After
 * GET /users/{id}/recommendations    200 JSON | 400 | 404 | 503 + Retry-After
 * </pre>
 *
 * <p>Slow or many clients must not starve the probes: a request has {@link HttpServerLimits} to
 * arrive, handler threads grow on demand up to {@link #MAX_THREADS} (a connection beyond that is
 * closed at once rather than queued behind slow ones), and scrapes share one rendering a second.
 */
public final class IntentHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntentHttpServer.class);
    private static final String JSON = "application/json; charset=utf-8";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Set by a forwarding instance; the receiver answers from its own stores only. */
    public static final String LOCAL_ONLY_PARAM = "local=true";
    static final int CORE_THREADS = 2;
    static final int MAX_THREADS = 32;

    static {
        HttpServerLimits.install();
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final UserStateQueries queries;
    private final HealthProbe health;
    private final Supplier<String> metrics;

    public IntentHttpServer(InetSocketAddress bind, UserStateQueries queries, HealthProbe health, Supplier<String> metrics) {
        this.queries = queries;
        this.health = health;
        this.metrics = new CachedScrape(metrics, TimeUnit.SECONDS.toNanos(1), System::nanoTime);
        try {
            this.server = HttpServer.create(bind, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind HTTP server to " + bind, e);
        }
        // Requests are short (store lookups, a cached scrape), so few threads are busy at once;
        // more are started only while slow clients hold some. No queue: a request must not wait
        // behind slow ones, and one the pool cannot take is refused (the server closes it).
        this.executor = new ThreadPoolExecutor(CORE_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "intent-http");
                    t.setDaemon(true);
                    return t;
                });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public IntentHttpServer start() {
        server.start();
        log.info("HTTP endpoints on http://{}:{}/", address().getHostString(), port());
        return this;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, JSON, error("method not allowed"));
                return;
            }
            switch (path) {
                case "/health/live" -> probe(exchange, health.isLive());
                case "/health/ready" -> probe(exchange, health.isReady());
                case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, metrics.get());
                default -> users(exchange, path, uri.getRawQuery());
            }
        } catch (RuntimeException e) {
            log.warn("HTTP request {} failed", exchange.getRequestURI(), e);
            send(exchange, 500, JSON, error("internal error"));
        }
    }

    private void probe(HttpExchange exchange, boolean up) throws IOException {
        String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"detail\":" + quote(health.describe()) + "}";
        send(exchange, up ? 200 : 503, JSON, body);
    }

    private void users(HttpExchange exchange, String path, String query) throws IOException {
        String[] parts = path.split("/", -1);
        // "/users/{id}/intent" splits into "", "users", id, "intent".
        if (parts.length != 4 || !"users".equals(parts[1])
                || !("intent".equals(parts[3]) || "recommendations".equals(parts[3]))) {
            send(exchange, 404, JSON, error("no such endpoint"));
            return;
        }
        String userId = parts[2];
        if (!UserId.isValid(userId)) {
            send(exchange, 400, JSON, error("malformed user id: expected 1-128 characters of [A-Za-z0-9._:@-]"));
            return;
        }
        boolean localOnly = query != null && query.contains(LOCAL_ONLY_PARAM);
        Lookup result = "intent".equals(parts[3])
                ? queries.latestScore(userId, localOnly)
                : queries.latestRecommendation(userId, localOnly);
        switch (result.outcome()) {
            case FOUND -> send(exchange, 200, JSON, result.json());
            case NOT_FOUND -> send(exchange, 404, JSON, error("unknown user " + userId));
            case UNAVAILABLE -> {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(result.retryAfterSeconds()));
                send(exchange, 503, JSON, error(result.message() == null ? "state is being rebalanced" : result.message()));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String error(String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
