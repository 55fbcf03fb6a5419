package io.intentstream.app;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Which state-store partitions are still restoring from their changelogs (readiness gate). */
final class RestoreTracker implements StateRestoreListener {
    private final Set<String> restoring = ConcurrentHashMap.newKeySet();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
        restoring.add(store + "/" + partition);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(store + "/" + partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(store + "/" + partition);
    }

    boolean allRestored() {
        return restoring.isEmpty();
    }

    int restoring() {
        return restoring.size();
    }
}
