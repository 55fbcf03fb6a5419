package io.intentstream.it;

import io.intentstream.cli.IntentStreamCli;
import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartAction;
import io.intentstream.events.CartEvent;
import io.intentstream.registry.serde.KafkaAvroDeserializer;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code replay} of a REES46 export into a real broker: Avro on the input topics, bad rows reported by line. */
@ExtendWith(KafkaExtension.class)
@Timeout(90)
class ReplayCommandTest {
    @Test
    void replaysRees46RowsAsAvroAndReportsMalformedLines(TestKafka kafka) throws Exception {
        kafka.createTopics();
        Path csv = Files.createTempFile("rees46", ".csv");
        Files.writeString(csv, """
                event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
                2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,replay-u1,72d76fde
                2019-10-01 00:00:05 UTC,cart,44600062,2103807459595387724,,shiseido,35.79,replay-u1,72d76fde
                2019-10-01 00:00:09 UTC,purchase,44600062,2103807459595387724,,shiseido,35.79,replay-u1,72d76fde
                2019-10-01 00:00:09 UTC,purchase,3900821,2053013552326770905,,aqua,33.20,replay-u1,72d76fde
                2019-10-01 00:00:10 UTC,view,1,2,,,not-a-price,replay-u2,s2
                """);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            exit = IntentStreamCli.commandLine().execute("replay", csv.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                    "--registry-url", kafka.registryUrl(), "--speed", "max");
        } finally {
            System.setOut(original);
        }
        String out = stdout.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("5 rows, 3 events sent, 0 skipped, 1 malformed").contains("line 6: bad price 'not-a-price'");

        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(Map.of("schema.registry.url", kafka.registryUrl(), "specific.avro.reader", true), false);
        List<Object> read = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-replay-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), values)) {
            consumer.subscribe(List.of(Topics.BROWSE.name(), Topics.CART.name()));
            Await.until("3 replayed events", Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(500))) {
                    read.add(r.value());
                }
                return read.size() >= 3;
            });
        }
        assertThat(read).hasSize(3);
        assertThat(read).filteredOn(BrowseEvent.class::isInstance).singleElement()
                .satisfies(v -> assertThat(((BrowseEvent) v).getItemId()).isEqualTo("44600062"));
        List<CartEvent> carts = read.stream().filter(CartEvent.class::isInstance).map(CartEvent.class::cast).toList();
        assertThat(carts).extracting(CartEvent::getAction).containsExactlyInAnyOrder(CartAction.ADD, CartAction.CHECKOUT);
        assertThat(carts.stream().filter(c -> c.getAction() == CartAction.CHECKOUT).findFirst().orElseThrow().getItems())
                .hasSize(2);
    }
}
