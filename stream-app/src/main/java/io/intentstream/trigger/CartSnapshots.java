package io.intentstream.trigger;

import io.intentstream.intent.CartContext;
import io.intentstream.intent.CartSnapshotLine;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.CartItem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** The Avro cart context of a trigger; decimals are rescaled to the schema's scale 2. */
final class CartSnapshots {
    private CartSnapshots() {}

    static CartContext of(BehaviorSequence seq) {
        List<CartSnapshotLine> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (CartItem item : seq.cart().values()) {
            BigDecimal price = item.unitPrice().setScale(2, RoundingMode.HALF_UP);
            lines.add(new CartSnapshotLine(item.itemId(), item.quantity(), price));
            total = total.add(price.multiply(BigDecimal.valueOf(item.quantity())));
        }
        return new CartContext(lines, total.setScale(2, RoundingMode.HALF_UP), seq.currency());
    }
}
