package io.intentstream.it.chaos;

import io.intentstream.it.Http;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the instances for shoppers' intent all through the run, round-robin, as a client of the
 * interactive queries would. Allowed answers: 200, 404 (not scored yet) and 503 with Retry-After
 * (state moving); anything else, or a 503 without Retry-After, is a failure. A refused
 * connection is an instance that is down (killed or restarting) and is counted apart.
 */
final class IqProbe implements AutoCloseable {
    static final String DOWN = "down";

    private final AppCluster cluster;
    private final List<String> users;
    private final Thread thread;
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private volatile boolean running = true;

    IqProbe(AppCluster cluster, List<String> users) {
        this.cluster = cluster;
        this.users = users;
        this.thread = new Thread(this::run, "chaos-iq-probe");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long n = 0;
        while (running) {
            int instance = (int) (n % cluster.size());
            String user = users.get((int) ((n / cluster.size()) % users.size()));
            n++;
            answers.computeIfAbsent(classify(ask(instance, user)), k -> new AtomicLong()).incrementAndGet();
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One query; returns its status, or null when the instance did not answer. */
    HttpResponse<String> ask(int instance, String user) {
        try {
            return Http.get(cluster.url(instance) + "/users/" + user + "/intent");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String classify(HttpResponse<String> r) {
        if (r == null) {
            return DOWN;
        }
        int status = r.statusCode();
        if (status == 503 && r.headers().firstValue("retry-after").isEmpty()) {
            violation("503 without Retry-After: " + r.uri());
            return "503-without-retry-after";
        }
        if (status != 200 && status != 404 && status != 503) {
            violation(status + " from " + r.uri() + ": " + r.body());
        }
        return String.valueOf(status);
    }

    private synchronized void violation(String what) {
        if (violations.size() < 20) {
            violations.add(what);
        }
    }

    Map<String, Long> answers() {
        Map<String, Long> out = new TreeMap<>();
        answers.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(15_000);
    }
}
