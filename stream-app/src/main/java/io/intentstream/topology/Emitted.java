package io.intentstream.topology;

import org.apache.avro.specific.SpecificRecord;

/** An output of the stateful processor: a value (null = tombstone) for one output topic. */
record Emitted(String topic, SpecificRecord value) {}
