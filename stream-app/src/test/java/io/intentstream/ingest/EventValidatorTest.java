package io.intentstream.ingest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.config.IngestSettings;
import io.intentstream.config.IntentConfig;
import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartAction;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
    static final long NOW = 1_767_600_000_000L;

    private final EventValidator keyed = new EventValidator(IntentConfig.of(Map.of()).ingest());
    private final EventValidator unkeyed = new EventValidator(IntentConfig.of(Map.of(IngestSettings.INPUT_KEYED_BY_USER, "false")).ingest());

    private static BrowseEvent viewPriced(String price) {
        BrowseEvent view = TestEvents.view("e1", "u1", NOW - 1_000, "i", "c");
        view.setPrice(new BigDecimal(price));
        return view;
    }

    private static CartEvent addPriced(String price) {
        CartEvent add = TestEvents.cart("e2", "u1", NOW - 1_000, CartAction.ADD);
        add.setItems(List.of(new CartLine("i", null, 1, new BigDecimal(price))));
        return add;
    }

    private static void assertReason(ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidEventException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void aNullKeyIsMissingKeyWhenInputIsKeyedByUser() {
        assertReason(() -> keyed.validate(null, TestEvents.view("e1", "u1", NOW - 1_000, "i", "c"), NOW),
                EventValidator.MISSING_KEY);
        assertReason(() -> keyed.validate(null, TestEvents.cart("e2", "u1", NOW - 1_000, CartAction.ADD, "i"), NOW),
                EventValidator.MISSING_KEY);
    }

    @Test
    void aNullKeyIsFineWhenInputIsRepartitionedByUserId() {
        assertThatCode(() -> unkeyed.validate(null, TestEvents.view("e1", "u1", NOW - 1_000, "i", "c"), NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void pricesUpToTheSchemaPrecisionPassAndLargerOnesArePriceOutOfRange() {
        assertThatCode(() -> keyed.validate("u1", viewPriced("9999999999.99"), NOW)).doesNotThrowAnyException();
        assertThatCode(() -> keyed.validate("u1", addPriced("9999999999.99"), NOW)).doesNotThrowAnyException();
        assertReason(() -> keyed.validate("u1", viewPriced("10000000000.00"), NOW), EventValidator.PRICE_OUT_OF_RANGE);
        assertReason(() -> keyed.validate("u1", addPriced("10000000000.00"), NOW), EventValidator.PRICE_OUT_OF_RANGE);
        assertThatThrownBy(() -> keyed.validate("u1", addPriced("1" + "0".repeat(60) + ".00"), NOW))
                .hasMessageContaining("unit_price with 63 digits and scale 2 does not fit decimal(12,2)");
    }

    @Test
    void aNegativePriceIsStillNegativePrice() {
        assertReason(() -> keyed.validate("u1", viewPriced("-10000000000.00"), NOW), EventValidator.NEGATIVE_PRICE);
    }
}
