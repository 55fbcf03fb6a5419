package io.intentstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartLine;
import io.intentstream.intent.CartContext;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContractDecimalTest {
    private final ContractDecimal price = ContractDecimal.of(CartLine.getClassSchema(), "unit_price");

    @Test
    void readsPrecisionAndScaleFromTheSchemaIncludingNullableFields() {
        assertThat(price).isEqualTo(new ContractDecimal("unit_price", 12, 2));
        assertThat(ContractDecimal.of(BrowseEvent.getClassSchema(), "price")).isEqualTo(new ContractDecimal("price", 12, 2));
        assertThat(ContractDecimal.of(CartContext.getClassSchema(), "total_value").toString()).isEqualTo("decimal(14,2)");
        assertThatThrownBy(() -> ContractDecimal.of(CartLine.getClassSchema(), "quantity"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a decimal");
    }

    @Test
    void fitsUpToThePrecisionWithoutRounding() {
        assertThat(price.max()).isEqualByComparingTo("9999999999.99");
        assertThat(price.fits(new BigDecimal("9999999999.99"))).isTrue();
        assertThat(price.fits(new BigDecimal("0.00"))).isTrue();
        assertThat(price.fits(new BigDecimal("1.500"))).as("trailing zeros need no rounding").isTrue();
        assertThat(price.fits(new BigDecimal("10000000000.00"))).isFalse();
        assertThat(price.fits(new BigDecimal("1.005"))).as("would need rounding").isFalse();
    }

    @Test
    void extremeExponentsAreDecidedWithoutBuildingHugeNumbers() {
        // "1E+999999999" is a valid CSV price; setScale on it would build a billion-digit number.
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(price.fits(new BigDecimal("1E+999999999"))).isFalse();
            assertThat(price.fits(new BigDecimal("1E-999999999"))).isFalse();
            assertThat(price.round(new BigDecimal("1E-999999999"))).isEqualTo(new BigDecimal("0.00"));
            assertThat(price.fits(price.round(new BigDecimal("1E+999999999")))).isFalse();
            assertThat(price.clamp(new BigDecimal("1E+999999999"))).isEqualTo(new BigDecimal("9999999999.99"));
        });
    }

    @Test
    void clampRoundsHalfUpAndSaturatesAtTheMaximum() {
        assertThat(price.clamp(new BigDecimal("1.005"))).isEqualTo(new BigDecimal("1.01"));
        assertThat(price.clamp(new BigDecimal("9999999999.995"))).isEqualTo(new BigDecimal("9999999999.99"));
        assertThat(price.clamp(new BigDecimal("-1E+20"))).isEqualTo(new BigDecimal("-9999999999.99"));
    }
}
