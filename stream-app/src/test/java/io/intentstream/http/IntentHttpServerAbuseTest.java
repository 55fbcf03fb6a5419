package io.intentstream.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Slow and many clients must not take the probes down (found by probing a running app). */
@Timeout(60)
class IntentHttpServerAbuseTest {
    private final AtomicInteger renders = new AtomicInteger();
    private final IntentHttpServer server = new IntentHttpServer(new InetSocketAddress("127.0.0.1", 0), new NoUsers(),
            new AlwaysUp(), this::render).start();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Socket> slow = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : slow) {
            s.close();
        }
        server.close();
    }

    @Test
    void slowClientsDoNotBlockTheProbesAndAreCutOff() throws Exception {
        // Four times the old fixed pool: each holds a handler thread while its headers trickle in.
        for (int i = 0; i < 16; i++) {
            slow.add(slowloris());
        }
        Thread.sleep(300);
        long start = System.nanoTime();
        assertThat(status("/health/live", Duration.ofSeconds(2))).isEqualTo(200);
        assertThat(status("/health/ready", Duration.ofSeconds(2))).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        // The server closes a request that has not arrived within its time limit.
        Thread.sleep((HttpServerLimits.MAX_REQUEST_SECONDS + 2) * 1000);
        for (Socket s : slow) {
            assertThat(closedByServer(s)).as("slow connection closed by the server").isTrue();
        }
    }

    @Test
    void moreSlowClientsThanThreadsAreRefusedAndTheServerRecovers() throws Exception {
        for (int i = 0; i < IntentHttpServer.MAX_THREADS + 8; i++) {
            slow.add(slowloris());
        }
        Thread.sleep((HttpServerLimits.MAX_REQUEST_SECONDS + 2) * 1000);
        assertThat(status("/health/live", Duration.ofSeconds(2))).isEqualTo(200);
    }

    @Test
    void parallelScrapesShareOneRendering() {
        List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            scrapes.add(client.sendAsync(request("/metrics", Duration.ofSeconds(20)), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : scrapes) {
            HttpResponse<String> r = f.join();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("# rendering ");
        }
        // One rendering a second at most; the 200 scrapes finish in a few seconds.
        assertThat(renders.get()).isBetween(1, 10);
    }

    private String render() {
        renders.incrementAndGet();
        return "# rendering " + renders.get() + "\n" + "x_total 1.0\n".repeat(20_000);
    }

    /** A connection that sends the start of a request and then nothing. */
    private Socket slowloris() throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        OutputStream out = s.getOutputStream();
        out.write("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static boolean closedByServer(Socket s) throws Exception {
        s.setSoTimeout(2000);
        try (InputStream in = s.getInputStream()) {
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n == 0) {
                    return false;
                }
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    private int status(String path, Duration timeout) throws Exception {
        return client.send(request(path, timeout), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(timeout).GET().build();
    }

    private static final class NoUsers implements UserStateQueries {
        @Override
        public Lookup latestScore(String userId, boolean localOnly) {
            return Lookup.notFound();
        }

        @Override
        public Lookup latestRecommendation(String userId, boolean localOnly) {
            return Lookup.notFound();
        }
    }

    private static final class AlwaysUp implements HealthProbe {
        @Override
        public boolean isLive() {
            return true;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public String describe() {
            return "up";
        }
    }
}
