package io.intentstream.registry;

import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartAction;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import io.intentstream.events.PageType;
import io.intentstream.events.SearchEvent;
import io.intentstream.intent.ActionProbability;
import io.intentstream.intent.CartContext;
import io.intentstream.intent.CartSnapshotLine;
import io.intentstream.intent.Influence;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.NextAction;
import io.intentstream.intent.Recommendation;
import io.intentstream.intent.RecommendationStrategy;
import io.intentstream.intent.RecommendedItem;
import io.intentstream.intent.TriggerType;
import io.intentstream.schemas.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** One realistic value per contract schema (decimals, nulls, arrays, enums, timestamps), with its topic. */
public final class ContractSamples {
    public record Sample(String topic, String avscFile, SpecificRecord value) {}

    private static final Instant T = Instant.parse("2026-03-14T09:26:53.589Z");

    private ContractSamples() {}

    public static List<Sample> all() {
        return List.of(
                new Sample(Topics.BROWSE.name(), "BrowseEvent.avsc", browse()),
                new Sample(Topics.SEARCH.name(), "SearchEvent.avsc", search()),
                new Sample(Topics.CART.name(), "CartEvent.avsc", cart()),
                new Sample(Topics.SCORES.name(), "IntentScore.avsc", score()),
                new Sample(Topics.RECOMMENDATIONS.name(), "Recommendation.avsc", recommendation()),
                new Sample(Topics.TRIGGERS.name(), "IntentTrigger.avsc", trigger()));
    }

    public static BrowseEvent browse() {
        return BrowseEvent.newBuilder()
                .setEventId("ev-1").setUserId("u-42").setSessionId("s-7").setEventTime(T)
                .setPageType(PageType.PRODUCT).setItemId("sku-123").setCategoryId(null)
                .setPrice(new BigDecimal("1299.99")).setDevice("mobile").setChannel(null)
                .build();
    }

    public static SearchEvent search() {
        return SearchEvent.newBuilder()
                .setEventId("ev-2").setUserId("u-42").setSessionId("s-7").setEventTime(T.plusMillis(1500))
                .setQuery("running shoes ünïcode 👟").setResultCount(0).setCategoryFilter("cat-9")
                .setDevice(null).setChannel("web")
                .build();
    }

    public static CartEvent cart() {
        return CartEvent.newBuilder()
                .setEventId("ev-3").setUserId("u-42").setSessionId("s-7").setEventTime(T.plusSeconds(60))
                .setAction(CartAction.CHECKOUT)
                .setItems(List.of(
                        CartLine.newBuilder().setItemId("sku-123").setCategoryId("cat-9").setQuantity(2)
                                .setUnitPrice(new BigDecimal("19.99")).build(),
                        CartLine.newBuilder().setItemId("sku-9").setCategoryId(null).setQuantity(1)
                                .setUnitPrice(new BigDecimal("-0.50")).build()))
                .setCurrency("EUR").setOrderId("o-1").setDevice("desktop").setChannel("email")
                .build();
    }

    public static IntentScore score() {
        return IntentScore.newBuilder()
                .setUserId("u-42").setSessionId(null).setPurchaseProbability(0.8125)
                .setNextAction(List.of(
                        ActionProbability.newBuilder().setAction(NextAction.CHECKOUT).setProbability(0.625).build(),
                        ActionProbability.newBuilder().setAction(NextAction.VIEW).setProbability(0.375).build()))
                .setTopInfluences(List.of(
                        Influence.newBuilder().setEventId("ev-3").setEventType("ADD_TO_CART").setItemId("sku-123").setWeight(0.5).build(),
                        Influence.newBuilder().setEventId("ev-2").setEventType("SEARCH").setItemId(null).setWeight(0.25).build()))
                .setSequenceLength(3).setNewestEventTime(T.plusSeconds(60)).setScoredAt(T.plusSeconds(61))
                .setModelVersion("2026.03.1")
                .build();
    }

    public static Recommendation recommendation() {
        return Recommendation.newBuilder()
                .setUserId("u-42")
                .setItems(List.of(
                        RecommendedItem.newBuilder().setItemId("sku-5").setRank(1).setScore(0.4375).build(),
                        RecommendedItem.newBuilder().setItemId("sku-6").setRank(2).setScore(0.1875).build()))
                .setStrategy(RecommendationStrategy.MODEL).setFiltersApplied(List.of())
                .setReason("Shoppers who bought running shoes next looked at socks.")
                .setGeneratedAt(T.plusSeconds(62)).setModelVersion("2026.03.1")
                .build();
    }

    public static IntentTrigger trigger() {
        return IntentTrigger.newBuilder()
                .setTriggerId("t-1").setUserId("u-42").setSessionId("s-7")
                .setTriggerType(TriggerType.CART_ABANDONMENT_RISK).setScore(0.125).setThreshold(0.25)
                .setCart(CartContext.newBuilder()
                        .setLines(List.of(CartSnapshotLine.newBuilder().setItemId("sku-123").setQuantity(3)
                                .setUnitPrice(new BigDecimal("99999999.99")).build()))
                        .setTotalValue(new BigDecimal("299999999.97")).setCurrency("USD")
                        .build())
                .setTriggeredAt(T.plusSeconds(900)).setModelVersion("2026.03.1")
                .build();
    }
}
