package io.intentstream.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.intent.CartContext;
import io.intentstream.intent.CartSnapshotLine;
import io.intentstream.sequence.BehaviorSequence;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CartSnapshotsTest {

    @Test
    void theTotalIsTheSumOfQuantityTimesUnitPriceAtScaleTwo() {
        BehaviorSequence s = new BehaviorSequence();
        s.addToCart("a", 3, new BigDecimal("19.99"), 10_000);
        s.addToCart("b", 1, new BigDecimal("0.5"), 10_000);
        CartContext cart = CartSnapshots.of(s);
        assertThat(cart.getTotalValue()).isEqualTo(new BigDecimal("60.47"));
        assertThat(cart.getLines()).extracting(CartSnapshotLine::getUnitPrice)
                .containsExactly(new BigDecimal("19.99"), new BigDecimal("0.50"));
    }

    @Test
    void aTotalBeyondDecimal14x2SaturatesAtItsMaximumInsteadOfFailingTheTrigger() {
        BehaviorSequence s = new BehaviorSequence();
        for (int i = 0; i < BehaviorSequence.MAX_CART_ITEMS; i++) {
            s.addToCart("item-" + i, 10_000, new BigDecimal("9999999999.99"), 10_000);
        }
        CartContext cart = CartSnapshots.of(s);
        assertThat(cart.getTotalValue()).isEqualTo(new BigDecimal("999999999999.99"));
        assertThat(cart.getLines()).hasSize(BehaviorSequence.MAX_CART_ITEMS)
                .allSatisfy(l -> assertThat(l.getQuantity()).isEqualTo(10_000));
    }

    @Test
    void aUnitPriceFromOlderStateThatNoLongerFitsSaturatesToo() {
        BehaviorSequence s = new BehaviorSequence();
        s.addToCart("a", 1, new BigDecimal("123456789012.50"), 10_000);
        assertThat(CartSnapshots.of(s).getLines().get(0).getUnitPrice()).isEqualTo(new BigDecimal("9999999999.99"));
    }
}
