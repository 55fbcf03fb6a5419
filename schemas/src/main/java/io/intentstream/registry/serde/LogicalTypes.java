package io.intentstream.registry.serde;

import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;

/** Generic-record models with the logical-type conversions the contract uses (decimal, timestamps). */
final class LogicalTypes {
    private static final GenericData WITH_CONVERSIONS = create();

    private LogicalTypes() {}

    /**
     * A GenericData that converts BigDecimal/Instant when it meets them. Writers pick conversions by
     * the datum's class, so raw ByteBuffer/Long values still write unchanged.
     */
    static GenericData genericWithConversions() {
        return WITH_CONVERSIONS;
    }

    private static GenericData create() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.DateConversion());
        data.addLogicalTypeConversion(new Conversions.UUIDConversion());
        return data;
    }
}
