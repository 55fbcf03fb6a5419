package io.intentstream.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BehaviorSequenceTest {
    private static final BigDecimal PRICE = new BigDecimal("9.99");

    @Test
    void repeatedAddsSaturateTheLineQuantityInsteadOfOverflowingInt() {
        BehaviorSequence s = new BehaviorSequence();
        s.addToCart("i", 10_000, PRICE, 10_000);
        s.addToCart("i", 10_000, PRICE, 10_000);
        assertThat(s.cart().get("i").quantity()).isEqualTo(10_000);
        s.addToCart("j", Integer.MAX_VALUE, PRICE, Integer.MAX_VALUE);
        s.addToCart("j", Integer.MAX_VALUE, PRICE, Integer.MAX_VALUE);
        assertThat(s.cart().get("j").quantity()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theNewestUnitPriceWinsAndQuantitiesAddUpBelowTheCap() {
        BehaviorSequence s = new BehaviorSequence();
        s.addToCart("i", 2, PRICE, 10_000);
        s.addToCart("i", 3, new BigDecimal("8.00"), 10_000);
        assertThat(s.cart().get("i")).isEqualTo(new CartItem("i", 5, new BigDecimal("8.00")));
    }

    @Test
    void aNewItemInAFullCartDropsTheOldestLine() {
        BehaviorSequence s = new BehaviorSequence();
        for (int i = 0; i <= BehaviorSequence.MAX_CART_ITEMS; i++) {
            s.addToCart("item-" + i, 1, PRICE, 10_000);
        }
        assertThat(s.cart()).hasSize(BehaviorSequence.MAX_CART_ITEMS).doesNotContainKey("item-0")
                .containsKey("item-" + BehaviorSequence.MAX_CART_ITEMS);
        s.addToCart("item-1", 1, PRICE, 10_000);
        assertThat(s.cart()).as("adding to an existing line drops nothing").hasSize(BehaviorSequence.MAX_CART_ITEMS)
                .containsKey("item-1");
    }
}
