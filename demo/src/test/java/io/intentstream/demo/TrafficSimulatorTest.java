package io.intentstream.demo;

import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.events.CartEvent;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficSimulatorTest {
    private static final String CATALOG = """
            {"categories":[{"id":"cat-01","terms":["shoes","sneakers"]},{"id":"cat-02","terms":["coffee"]}],
             "items":[{"id":"sku-1","category":"cat-01","price":"59.90","popularity":0.5},
                      {"id":"sku-2","category":"cat-01","price":"19.00","popularity":0.2},
                      {"id":"sku-3","category":"cat-02","price":"7.25","popularity":0.3}]}
            """;

    @Test
    void catalogParsesCategoriesItemsAndTerms() throws Exception {
        Catalog c = Catalog.parse(new ByteArrayInputStream(CATALOG.getBytes(StandardCharsets.UTF_8)));
        assertThat(c.itemCount()).isEqualTo(3);
        assertThat(c.categories()).extracting(Catalog.Category::id).containsExactly("cat-01", "cat-02");
        assertThat(c.categories().get(0).terms()).containsExactly("shoes", "sneakers");
        Random r = new Random(1);
        for (int i = 0; i < 100; i++) {
            assertThat(c.drawCategory(r).draw(r).category()).startsWith("cat-0");
        }
    }

    @Test
    void shoppersProduceFullVisitsThatConvertToTheContract() throws Exception {
        Catalog catalog = Catalog.parse(new ByteArrayInputStream(CATALOG.getBytes(StandardCharsets.UTF_8)));
        List<ShopEvent> events = new CopyOnWriteArrayList<>();
        try (TrafficSimulator sim = new TrafficSimulator(catalog, 20, 2000, 7, events::add).start()) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (events.size() < 3000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        }
        Set<ShopEvent.Kind> kinds = events.stream().map(ShopEvent::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(ShopEvent.Kind.class)));
        assertThat(kinds).containsExactlyInAnyOrder(ShopEvent.Kind.values());
        assertThat(events.stream().map(ShopEvent::eventId).distinct().count()).isEqualTo(events.size());
        assertThat(events.stream().map(ShopEvent::userId).distinct().count()).isEqualTo(20);
        for (ShopEvent e : events) {
            SpecificRecord avro = ShopEventProducer.toAvro(e);
            assertThat(avro.getSchema().getName()).isIn("BrowseEvent", "SearchEvent", "CartEvent");
            if (avro instanceof CartEvent cart) {
                assertThat(cart.getItems()).allSatisfy(l -> assertThat(l.getUnitPrice().scale()).isEqualTo(2));
                if (e.kind() != ShopEvent.Kind.CHECKOUT) {
                    assertThat(cart.getItems()).hasSize(1);
                }
            }
        }
    }

    @Test
    void syntheticCatalogWhenNoneIsPackaged() {
        Catalog c = Catalog.synthetic(new Random(1), 3, 10);
        assertThat(c.itemCount()).isEqualTo(30);
    }
}
