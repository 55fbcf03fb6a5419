package io.intentstream.registry.serde;

import org.apache.avro.Schema;

/** Chooses the registry subject for a record written to a topic (Confluent's concept, same names). */
@FunctionalInterface
public interface SubjectNameStrategy {
    String subjectName(String topic, boolean isKey, Schema schema);

    /**
     * Resolves a config value: an instance, a class, or a class name. Confluent's class names
     * ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy} …) and bare simple names
     * map to this package's strategies, so Confluent-style configs work unchanged.
     */
    static SubjectNameStrategy from(Object value) {
        if (value == null) {
            return new TopicNameStrategy();
        }
        if (value instanceof SubjectNameStrategy strategy) {
            return strategy;
        }
        String name = value instanceof Class<?> c ? c.getName() : value.toString().trim();
        String simple = name.substring(name.lastIndexOf('.') + 1);
        return switch (simple) {
            case "TopicNameStrategy" -> new TopicNameStrategy();
            case "RecordNameStrategy" -> new RecordNameStrategy();
            case "TopicRecordNameStrategy" -> new TopicRecordNameStrategy();
            default -> {
                try {
                    yield (SubjectNameStrategy) Class.forName(name).getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | ClassCastException e) {
                    throw new IllegalArgumentException("Unknown subject name strategy: " + name, e);
                }
            }
        };
    }
}
