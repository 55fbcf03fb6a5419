package io.intentstream.trigger;

import io.intentstream.ingest.ContractDecimal;
import io.intentstream.intent.CartContext;
import io.intentstream.intent.CartSnapshotLine;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.CartItem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The Avro cart context of a trigger, with every decimal fitted to its schema type. Ingest keeps
 * unit prices within decimal(12,2), but capped lines times capped quantities can still exceed the
 * total's decimal(14,2) (and state written before those checks may hold any price); a value the
 * writer rejects would fail the trigger's output, so totals and prices saturate at the type's
 * maximum instead.
 */
final class CartSnapshots {
    private static final ContractDecimal UNIT_PRICE = ContractDecimal.of(CartSnapshotLine.getClassSchema(), "unit_price");
    private static final ContractDecimal TOTAL_VALUE = ContractDecimal.of(CartContext.getClassSchema(), "total_value");

    private CartSnapshots() {}

    static CartContext of(BehaviorSequence seq) {
        List<CartSnapshotLine> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (CartItem item : seq.cart().values()) {
            BigDecimal price = UNIT_PRICE.clamp(item.unitPrice());
            lines.add(new CartSnapshotLine(item.itemId(), item.quantity(), price));
            total = total.add(price.multiply(BigDecimal.valueOf(item.quantity())));
        }
        return new CartContext(lines, TOTAL_VALUE.clamp(total), seq.currency());
    }
}
