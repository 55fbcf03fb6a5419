package io.intentstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentstream.intent.CartContext;
import io.intentstream.intent.CartSnapshotLine;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.TriggerType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordJsonTest {
    @Test
    void decimalsAreExactStringsTimesAreMillisEnumsAreSymbols() throws Exception {
        IntentTrigger trigger = IntentTrigger.newBuilder()
                .setTriggerId("t-1").setUserId("u-1").setSessionId(null)
                .setTriggerType(TriggerType.CART_ABANDONMENT_RISK).setScore(0.25).setThreshold(0.3)
                .setCart(CartContext.newBuilder()
                        .setLines(List.of(CartSnapshotLine.newBuilder().setItemId("sku-1").setQuantity(2)
                                .setUnitPrice(new BigDecimal("19.90")).build()))
                        .setTotalValue(new BigDecimal("39.80")).setCurrency("EUR").build())
                .setTriggeredAt(Instant.ofEpochMilli(1_700_000_000_123L)).setModelVersion("v1")
                .build();
        JsonNode json = new ObjectMapper().readTree(RecordJson.toJson(trigger));
        assertThat(json.get("trigger_type").asText()).isEqualTo("CART_ABANDONMENT_RISK");
        assertThat(json.get("session_id").isNull()).isTrue();
        assertThat(json.get("triggered_at").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(json.at("/cart/total_value").asText()).isEqualTo("39.80");
        assertThat(json.at("/cart/lines/0/unit_price").asText()).isEqualTo("19.90");
        assertThat(json.at("/cart/lines/0/quantity").asInt()).isEqualTo(2);
    }
}
