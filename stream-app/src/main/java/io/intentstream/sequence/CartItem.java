package io.intentstream.sequence;

import java.math.BigDecimal;

/** One line of the shopper's current cart, as rebuilt from ADD / REMOVE / CHECKOUT events. */
public record CartItem(String itemId, int quantity, BigDecimal unitPrice) {}
