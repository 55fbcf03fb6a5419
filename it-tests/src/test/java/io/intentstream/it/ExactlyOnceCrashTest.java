package io.intentstream.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once under a crash: the app runs as a child JVM, is SIGKILLed while events flow, and is
 * restarted on the same state directory. With {@code read_committed} consumers, no trigger may
 * appear twice and every user's final score must have counted each input event exactly once:
 * final {@code sequence_length} == events sent for that user (capped at the model's L). A
 * duplicated or lost event after the crash would change that count.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(240)
class ExactlyOnceCrashTest {
    private static final int USERS = 12;
    private static final int EVENTS_PER_USER = 16;

    @Test
    void killedAppResumesWithoutDuplicatesOrLosses(TestKafka kafka) throws Exception {
        kafka.createTopics();
        Path work = Files.createTempDirectory("it-eos");
        Path config = writeConfig(kafka, work);
        int port = Ports.free();
        Path logs = Path.of("target", "it-logs");
        int cap = Math.min(EVENTS_PER_USER, maxSeqLen());

        // Interleave users so each partition's transaction mixes many users when the kill lands.
        Map<String, List<ShopEvent>> byUser = new LinkedHashMap<>();
        for (int u = 0; u < USERS; u++) {
            String user = "eos-user-" + u;
            byUser.put(user, ShopTraffic.session(user, EVENTS_PER_USER, 100 + u));
        }
        List<ShopEvent> all = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_USER; i++) {
            for (List<ShopEvent> events : byUser.values()) {
                all.add(events.get(i));
            }
        }
        int half = all.size() / 2;

        try (ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), kafka.registryUrl());
             OutputReader outputs = new OutputReader(kafka, Topics.KEYED_OUTPUTS)) {
            Thread rest = new Thread(() -> {
                for (ShopEvent e : all.subList(half, all.size())) {
                    producer.send(e);
                    try {
                        Thread.sleep(8);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "second-half-producer");
            ChildJvm first = ChildJvm.start(logs.resolve("eos-run-1.log"), runArgs(config, port));
            try {
                first.awaitReady(port, Duration.ofSeconds(90));
                for (ShopEvent e : all.subList(0, half)) {
                    producer.send(e);
                    Thread.sleep(5);
                }
                producer.flush();
                Await.until("first committed scores", Duration.ofSeconds(60), () -> !outputs.poll().isEmpty());
                // Kill while the second half is still flowing in: open transactions must be aborted, not half-visible.
                rest.start();
                Thread.sleep(300);
                first.kill9();
            } finally {
                first.close();
            }

            ChildJvm second = ChildJvm.start(logs.resolve("eos-run-2.log"), runArgs(config, port));
            try {
                rest.join(30_000);
                producer.flush();
                assertThat(producer.failures()).isZero();
                second.awaitReady(port, Duration.ofSeconds(90));
                try {
                    Await.until("final scores of all users", Duration.ofSeconds(90), () -> {
                        outputs.poll();
                        Map<String, Integer> last = lastLengths(outputs);
                        return byUser.keySet().stream().allMatch(u -> last.getOrDefault(u, -1) == cap);
                    });
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; last lengths " + lastLengths(outputs) + "\n" + second.tail(), e);
                }
                // Let any straggling (duplicate) output surface before the final checks.
                Thread.sleep(2000);
                outputs.poll();

                Map<String, Integer> last = lastLengths(outputs);
                byUser.keySet().forEach(u -> assertThat(last.get(u)).as("final sequence_length of %s", u).isEqualTo(cap));
                // No score ever counted more events than were sent (a replayed event would).
                assertThat(outputs.values(Topics.SCORES))
                        .allSatisfy(s -> assertThat(s.getSequenceLength()).isLessThanOrEqualTo(cap));
                // Each event changes the sequence, so a user is never scored twice on the same length: a
                // score re-emitted after the crash (output visible, dirty-mark removal lost) would be.
                Map<String, List<Integer>> lengthsByUser = new HashMap<>();
                outputs.values(Topics.SCORES).forEach(s -> lengthsByUser
                        .computeIfAbsent(s.getUserId(), k -> new ArrayList<>()).add(s.getSequenceLength()));
                lengthsByUser.forEach((u, lengths) -> assertThat(lengths).as("scored lengths of %s", u).doesNotHaveDuplicates());
                List<IntentTrigger> triggers = outputs.values(Topics.TRIGGERS);
                assertThat(triggers).isNotEmpty();
                assertThat(triggers).extracting(IntentTrigger::getTriggerId).doesNotHaveDuplicates();
                assertThat(second.terminate(Duration.ofSeconds(40))).isIn(0, 143);
            } finally {
                second.close();
            }
        }
    }

    private static Map<String, Integer> lastLengths(OutputReader outputs) {
        Map<String, Integer> last = new HashMap<>();
        for (IntentScore s : outputs.values(Topics.SCORES)) {
            last.put(s.getUserId(), s.getSequenceLength());
        }
        return last;
    }

    private static List<String> runArgs(Path config, int port) {
        return List.of("run", "--config", config.toString(), "--http-port", String.valueOf(port));
    }

    private static Path writeConfig(TestKafka kafka, Path work) throws IOException {
        Properties p = new Properties();
        p.putAll(kafka.appSettings("it-eos", work.resolve("state")));
        p.setProperty("streams.commit.interval.ms", "200");
        // The killed instance never leaves the group: a short session lets the restart take over in seconds.
        p.setProperty("streams.consumer.session.timeout.ms", "6000");
        p.setProperty("streams.consumer.heartbeat.interval.ms", "1500");
        p.setProperty("trigger.high-intent.upper", "0.000001");
        p.setProperty("trigger.high-intent.lower", "0.0");
        Path file = work.resolve("app.properties");
        try (var out = Files.newOutputStream(file)) {
            p.store(out, "exactly-once crash test");
        }
        return file;
    }

    /** The model's max sequence length L from the packaged sidecar. */
    private static int maxSeqLen() throws IOException {
        try (InputStream in = ExactlyOnceCrashTest.class.getClassLoader().getResourceAsStream("model/intent-model.json")) {
            if (in == null) {
                return Integer.MAX_VALUE;
            }
            return new ObjectMapper().readTree(in).path("max_seq_len").asInt(Integer.MAX_VALUE);
        }
    }
}
