package io.intentstream.topology;

import io.intentstream.ingest.EventValidator;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Passes valid events on; an invalid one throws, so the processing handler dead-letters its source bytes. */
final class ValidatingProcessor<V> implements FixedKeyProcessor<String, V, V> {
    private final EventValidator validator;
    private FixedKeyProcessorContext<String, V> context;

    ValidatingProcessor(EventValidator validator) {
        this.validator = validator;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        validator.validate(record.key(), record.value(), context.currentSystemTimeMs());
        context.forward(record);
    }
}
