package io.intentstream.app;

import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the contract's topics ({@code --create-topics}); topics that exist are left as they are.
 * Production clusters usually manage topics elsewhere, so this is opt-in.
 */
public final class TopicCreation {
    private static final Logger log = LoggerFactory.getLogger(TopicCreation.class);

    private TopicCreation() {}

    public static void ensure(Map<String, Object> adminConfig, int partitions, short replication) {
        try (Admin admin = Admin.create(adminConfig)) {
            List<NewTopic> topics = Topics.ALL.stream().map(t -> new NewTopic(t, partitions, replication)).toList();
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                    log.info("created topic {} ({} partitions)", name, partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted creating topics", e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("timed out creating topic " + name, e);
                }
            });
        }
    }
}
