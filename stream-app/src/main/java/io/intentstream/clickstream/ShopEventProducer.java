package io.intentstream.clickstream;

import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartAction;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import io.intentstream.events.PageType;
import io.intentstream.events.SearchEvent;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes {@link ShopEvent}s to the input topics as registry-framed Avro, keyed by user id.
 * Shared by the demo's simulator, the {@code replay} command and the end-to-end tests.
 */
public final class ShopEventProducer implements AutoCloseable {
    /** The schemas module's Confluent-compatible serializer, named so this class compiles on its own. */
    static final String AVRO_SERIALIZER = "io.intentstream.registry.serde.KafkaAvroSerializer";

    private final KafkaProducer<String, Object> producer;
    private final AtomicLong failures = new AtomicLong();
    private final Consumer<Exception> onFailure;

    public ShopEventProducer(String bootstrapServers, String registryUrl, Map<String, Object> overrides,
                             Consumer<Exception> onFailure) {
        // Client overrides (TLS, SASL) first; the explicit address and the serde are not overridable.
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "intentstream-traffic");
        config.putAll(overrides);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AVRO_SERIALIZER);
        config.put("schema.registry.url", registryUrl);
        this.producer = new KafkaProducer<>(config);
        this.onFailure = onFailure;
    }

    public ShopEventProducer(String bootstrapServers, String registryUrl) {
        this(bootstrapServers, registryUrl, Map.of(), e -> { });
    }

    /** Sends asynchronously; failures are counted and handed to the failure callback. */
    public void send(ShopEvent event) {
        producer.send(new ProducerRecord<>(topicOf(event.kind()).name(), null, event.timeMs(), event.userId(), toAvro(event)),
                (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                        onFailure.accept(error);
                    }
                });
    }

    public long failures() {
        return failures.get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }

    /** The input topic an event of this kind goes to. */
    public static Topic<String, ?> topicOf(ShopEvent.Kind kind) {
        return switch (kind.topicKind()) {
            case "browse" -> Topics.BROWSE;
            case "search" -> Topics.SEARCH;
            default -> Topics.CART;
        };
    }

    /** The Avro record of the event's input topic. */
    public static SpecificRecord toAvro(ShopEvent e) {
        Instant time = Instant.ofEpochMilli(e.timeMs());
        return switch (e.kind()) {
            case PRODUCT_VIEW, CATEGORY_VIEW, HOME_VIEW -> BrowseEvent.newBuilder()
                    .setEventId(e.eventId()).setUserId(e.userId()).setSessionId(e.sessionId())
                    .setEventTime(time)
                    .setPageType(e.kind() == ShopEvent.Kind.PRODUCT_VIEW ? PageType.PRODUCT
                            : e.kind() == ShopEvent.Kind.CATEGORY_VIEW ? PageType.CATEGORY : PageType.HOME)
                    .setItemId(e.itemId()).setCategoryId(e.categoryId()).setPrice(money(e.price()))
                    .setDevice(null).setChannel(null)
                    .build();
            case SEARCH -> SearchEvent.newBuilder()
                    .setEventId(e.eventId()).setUserId(e.userId()).setSessionId(e.sessionId())
                    .setEventTime(time).setQuery(e.query() == null ? "" : e.query())
                    .setResultCount(e.query() == null || e.query().isBlank() ? 0 : 24)
                    .setCategoryFilter(e.categoryId()).setDevice(null).setChannel(null)
                    .build();
            case CART_ADD, CART_REMOVE, CHECKOUT -> CartEvent.newBuilder()
                    .setEventId(e.eventId()).setUserId(e.userId()).setSessionId(e.sessionId())
                    .setEventTime(time)
                    .setAction(e.kind() == ShopEvent.Kind.CART_ADD ? CartAction.ADD
                            : e.kind() == ShopEvent.Kind.CART_REMOVE ? CartAction.REMOVE : CartAction.CHECKOUT)
                    .setItems(lines(e.lines()))
                    .setCurrency("USD")
                    .setOrderId(e.kind() == ShopEvent.Kind.CHECKOUT ? "o-" + e.eventId() : null)
                    .setDevice(null).setChannel(null)
                    .build();
        };
    }

    private static List<CartLine> lines(List<ShopEvent.Line> lines) {
        return lines.stream().map(l -> CartLine.newBuilder()
                .setItemId(l.itemId()).setCategoryId(l.categoryId())
                .setQuantity(Math.max(1, l.quantity()))
                .setUnitPrice(money(l.unitPrice() == null ? BigDecimal.ZERO : l.unitPrice()))
                .build()).toList();
    }

    /** The contract's decimals have scale 2; sources with more digits are rounded half-up. */
    static BigDecimal money(BigDecimal value) {
        return value == null ? null : value.setScale(2, RoundingMode.HALF_UP);
    }
}
