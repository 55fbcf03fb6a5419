package io.intentstream.it.bench;

import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * How far an application is behind on the input topics, from the broker's point of view: end
 * offsets minus the group's committed offsets (under exactly-once, committed = processed and its
 * outputs visible). End offsets include transaction markers, so "lag" here is records plus
 * markers; with one producer (the load generator, no transactions) there are none on the inputs.
 */
public final class GroupLag implements AutoCloseable {
    private static final List<String> INPUTS = Topics.INPUTS.stream().map(t -> t.name()).toList();
    private final Admin admin;

    public GroupLag(String bootstrap) {
        admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    /** Records the group has committed on the inputs. */
    public long committed(String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> INPUTS.contains(e.getKey().topic()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (InterruptedException | ExecutionException e) {
            return 0;
        }
    }

    /** Records on the inputs (sum of end offsets). */
    public long produced() {
        return endOffsets(INPUTS);
    }

    /** Sum of end offsets of the given topics (records and transaction markers). */
    public long endOffsets(List<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                    .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot read end offsets of " + topics, e);
        }
    }

    /** The changelog topics of an application's stores. */
    public List<String> changelogs(String applicationId) {
        try {
            return admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog")).sorted().toList();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
