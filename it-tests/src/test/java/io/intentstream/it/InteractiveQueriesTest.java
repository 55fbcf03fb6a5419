package io.intentstream.it;

import io.intentstream.app.AppOptions;
import io.intentstream.app.IntentStreamApp;
import io.intentstream.config.IntentConfig;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of one application share the partitions; each must answer for every user: from
 * its own store when it owns the user's partition, else by forwarding to the owner.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(150)
class InteractiveQueriesTest {
    @Test
    void everyInstanceAnswersForEveryUser(TestKafka kafka) throws Exception {
        kafka.createTopics();
        List<IntentStreamApp> apps = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                IntentConfig config = IntentConfig.of(kafka.appSettings("it-iq", Files.createTempDirectory("it-iq-" + i)));
                apps.add(new IntentStreamApp(config, AppOptions.loopback(0)).start());
            }
            // Both members must have joined (3 partitions split 2/1) before we judge ownership.
            Await.until("both instances ready", Duration.ofSeconds(90),
                    () -> apps.stream().allMatch(a -> Http.status(a.httpUrl() + "/health/ready") == 200));

            List<String> users = new ArrayList<>();
            try (ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), kafka.registryUrl())) {
                for (int u = 0; u < 8; u++) {
                    String user = "iq-user-" + u;
                    users.add(user);
                    for (ShopEvent e : ShopTraffic.session(user, 3, u)) {
                        producer.send(e);
                    }
                }
                producer.flush();
            }
            for (IntentStreamApp app : apps) {
                for (String user : users) {
                    String url = app.httpUrl() + "/users/" + user + "/intent";
                    Await.until(user + " via " + app.httpUrl(), Duration.ofSeconds(60), () -> Http.status(url) == 200);
                    HttpResponse<String> r = Http.get(url);
                    assertThat(r.body()).contains("\"user_id\":\"" + user + "\"");
                }
                assertThat(Http.status(app.httpUrl() + "/users/iq-nobody/recommendations")).isEqualTo(404);
            }
            // Each instance owns only part of the users, so both must have forwarded some queries.
            assertThat(apps).allSatisfy(a -> assertThat(a.queriesForwarded()).isPositive());
        } finally {
            apps.forEach(a -> a.close(Duration.ofSeconds(20)));
        }
    }
}
