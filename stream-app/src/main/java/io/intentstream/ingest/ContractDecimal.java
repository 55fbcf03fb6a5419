package io.intentstream.ingest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * A decimal field of the Avro contract with the precision and scale its schema declares. Read
 * from the generated classes' schemas, so a schema change moves every bound that uses it. Avro
 * decodes any byte length into a decimal and only checks precision when writing, so a value that
 * does not fit is accepted on the way in and makes the writer throw on the way out.
 */
public record ContractDecimal(String field, int precision, int scale) {

    /** The decimal type of {@code field} in {@code record}; a nullable field's non-null branch. */
    public static ContractDecimal of(Schema record, String field) {
        Schema.Field f = record.getField(field);
        if (f == null) {
            throw new IllegalArgumentException(record.getFullName() + " has no field " + field);
        }
        Schema type = f.schema();
        if (type.getType() == Schema.Type.UNION) {
            type = type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(type);
        }
        LogicalType logical = type.getLogicalType();
        if (!(logical instanceof LogicalTypes.Decimal decimal)) {
            throw new IllegalArgumentException(record.getFullName() + "." + field + " is not a decimal");
        }
        return new ContractDecimal(field, decimal.getPrecision(), decimal.getScale());
    }

    /** True when {@code value} is representable without rounding: at most {@code scale} decimals and {@code precision} digits. */
    public boolean fits(BigDecimal value) {
        if (value.signum() == 0) {
            return true;
        }
        // Digit counts only: setScale on 1E+999999999 (a valid CSV price) would build a billion-digit number.
        if (integerDigits(value) > precision - scale) {
            return false;
        }
        return value.scale() <= scale || value.stripTrailingZeros().scale() <= scale;
    }

    /**
     * {@code value} rounded half-up to the scale, as producers write it. Values far below the last
     * digit round to zero and values far too large come back unchanged (they cannot fit), both
     * without the huge intermediate numbers setScale would build for extreme exponents.
     */
    public BigDecimal round(BigDecimal value) {
        long digits = integerDigits(value);
        if (value.signum() == 0 || digits < -scale) {
            return BigDecimal.ZERO.setScale(scale);
        }
        if (digits > precision - scale) {
            return value;
        }
        return value.setScale(scale, RoundingMode.HALF_UP);
    }

    /** The largest value the type holds, e.g. 9999999999.99 for decimal(12,2). */
    public BigDecimal max() {
        return BigDecimal.ONE.scaleByPowerOfTen(precision).subtract(BigDecimal.ONE).scaleByPowerOfTen(-scale)
                .setScale(scale, RoundingMode.UNNECESSARY);
    }

    /** {@code value} rounded half-up to the scale and saturated at ±{@link #max()}, so it always writes. */
    public BigDecimal clamp(BigDecimal value) {
        BigDecimal rounded = round(value);
        if (fits(rounded)) {
            return rounded;
        }
        return rounded.signum() > 0 ? max() : max().negate();
    }

    /** Digits before the decimal point (negative for values below 0.1), from the representation alone. */
    private static long integerDigits(BigDecimal value) {
        return (long) value.precision() - value.scale();
    }

    /** Why {@code value} does not fit, without printing a value that may be megabytes of digits. */
    public String violation(BigDecimal value) {
        return field + " with " + value.precision() + " digits and scale " + value.scale() + " does not fit " + this;
    }

    @Override
    public String toString() {
        return "decimal(" + precision + "," + scale + ")";
    }
}
