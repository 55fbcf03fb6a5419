package io.intentstream.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class IntentHttpServerTest {
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final AtomicBoolean rebalancing = new AtomicBoolean(false);
    private IntentHttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        UserStateQueries queries = new UserStateQueries() {
            @Override
            public Lookup latestScore(String userId, boolean localOnly) {
                return answer(userId, "{\"user_id\":\"" + userId + "\",\"local\":" + localOnly + "}");
            }

            @Override
            public Lookup latestRecommendation(String userId, boolean localOnly) {
                return answer(userId, "{\"items\":[]}");
            }

            private Lookup answer(String userId, String json) {
                if (rebalancing.get()) {
                    return Lookup.unavailable(3, "rebalancing");
                }
                return userId.startsWith("known") ? Lookup.found(json) : Lookup.notFound();
            }
        };
        HealthProbe health = new HealthProbe() {
            @Override
            public boolean isLive() {
                return true;
            }

            @Override
            public boolean isReady() {
                return ready.get();
            }

            @Override
            public String describe() {
                return "test \"state\"";
            }
        };
        server = new IntentHttpServer(new InetSocketAddress("127.0.0.1", 0), queries, health, () -> "# HELP x\nx_total 1.0\n").start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesKnownUsersAsJson() throws Exception {
        HttpResponse<String> r = get("/users/known-1/intent");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(r.body()).isEqualTo("{\"user_id\":\"known-1\",\"local\":false}");
        assertThat(get("/users/known-1/recommendations").statusCode()).isEqualTo(200);
    }

    @Test
    void forwardedRequestsAreAnsweredLocally() throws Exception {
        assertThat(get("/users/known-1/intent?local=true").body()).contains("\"local\":true");
    }

    @Test
    void unknownUserIs404() throws Exception {
        HttpResponse<String> r = get("/users/someone/intent");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("unknown user someone");
    }

    @Test
    void malformedIdsAre400() throws Exception {
        assertThat(get("/users/a%20b/intent").statusCode()).isEqualTo(400);
        assertThat(get("/users/" + "a".repeat(129) + "/intent").statusCode()).isEqualTo(400);
        assertThat(get("/users/%2e%2e/intent").statusCode()).isEqualTo(400);
        assertThat(get("/users//intent").statusCode()).isEqualTo(400);
        assertThat(get("/users/known:x@y.z-1_2/intent").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsAre404AndWritesAre405() throws Exception {
        assertThat(get("/users/known-1").statusCode()).isEqualTo(404);
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/users/known-1/intent"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void rebalancingIs503WithRetryAfter() throws Exception {
        rebalancing.set(true);
        HttpResponse<String> r = get("/users/known-1/intent");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).hasValue("3");
    }

    @Test
    void readinessFollowsTheProbe() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        ready.set(false);
        HttpResponse<String> r = get("/health/ready");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"status\":\"DOWN\",\"detail\":\"test \\\"state\\\"\"}");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsInPrometheusTextFormat() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue(IntentHttpServer.PROMETHEUS_TEXT);
        assertThat(r.body()).contains("x_total 1.0");
    }
}
