package io.intentstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topics;
import io.intentstream.registry.RegistryUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Bad input is dead-lettered routinely; a bug in our code only within a budget, then the thread stops. */
class DeadLetterProcessingHandlerTest {
    private final IntentMetrics metrics = IntentMetrics.noop();
    private final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();

    DeadLetterProcessingHandlerTest() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name(),
                DeadLetterReasons.METRICS_CONFIG, metrics, DeadLetterProcessingHandler.MAX_ERRORS_PER_MINUTE_CONFIG, "3"));
    }

    @Test
    void invalidEventsAreAlwaysDeadLetteredWithTheirReason() {
        for (int i = 0; i < 20; i++) {
            Response r = handle(new InvalidEventException(EventValidator.MISSING_EVENT_ID, "event_id is blank"));
            assertThat(r.result()).isEqualTo(Result.RESUME);
            assertThat(r.deadLetterQueueRecords()).hasSize(1);
        }
        assertThat(count(EventValidator.MISSING_EVENT_ID)).isEqualTo(20);
    }

    @Test
    void bugsAreDeadLetteredAsProcessingErrorWithinTheBudgetThenFailTheThread() {
        for (int i = 0; i < 3; i++) {
            Response r = handle(new NullPointerException("a bug"));
            assertThat(r.result()).isEqualTo(Result.RESUME);
            assertThat(r.deadLetterQueueRecords()).singleElement().satisfies(d -> assertThat(
                    new String(d.headers().lastHeader(DeadLetterReasons.HEADER).value())).isEqualTo("PROCESSING_ERROR"));
        }
        Response fourth = handle(new NullPointerException("the same bug again"));
        assertThat(fourth.result()).isEqualTo(Result.FAIL);
        assertThat(fourth.deadLetterQueueRecords()).isEmpty();
        assertThat(count(DeadLetterReasons.PROCESSING_ERROR)).isEqualTo(3);
        // Bad input is not held back by the exhausted bug budget.
        assertThat(handle(new InvalidEventException(EventValidator.FIELD_TOO_LONG, "query")).result()).isEqualTo(Result.RESUME);
    }

    @Test
    void aRegistryOutageAtASinkOrAStoreFailureFailsTheThreadWithoutADeadLetterOrTouchingTheBugBudget() {
        // What the record collector throws when our serializer cannot reach the registry (an outage).
        var outage = new StreamsException("Unable to serialize record", new SerializationException("no schema id",
                new RegistryUnavailableException(503, 50300, "registry down", null)));
        var rocksDb = new ProcessorStateException("Error while putting key into store shopper-sequences");
        for (int i = 0; i < 5; i++) {
            for (Exception e : List.of(outage, rocksDb)) {
                Response r = handle(e);
                assertThat(r.result()).isEqualTo(Result.FAIL);
                assertThat(r.deadLetterQueueRecords()).isEmpty();
            }
        }
        assertThat(count(DeadLetterReasons.PROCESSING_ERROR)).isZero();
        assertThat(metrics.registry().find(IntentMetrics.REGISTRY_UNAVAILABLE).counter().count()).isEqualTo(5);
        assertThat(handle(new NullPointerException("a bug")).result()).as("the bug budget is untouched")
                .isEqualTo(Result.RESUME);
    }

    @Test
    void aWriteTheBrokerRefusedFailsTheThreadInsteadOfCommittingWithoutIt() {
        // What the record collector throws at the task's next send after an asynchronous send failed
        // and DeadLetterProductionHandler said fail: a changelog record too large, an output topic
        // not writable. Resuming would commit the transaction without that record.
        var tooLarge = new StreamsException("Error encountered sending record to topic app-shopper-sequences-changelog",
                new RecordTooLargeException("The message is 2000000 bytes"));
        var denied = new StreamsException("Error encountered sending record to topic intent.scores.v1",
                new TopicAuthorizationException("not authorized"));
        for (Exception e : List.of(tooLarge, denied, tooLarge, denied, tooLarge, denied)) {
            Response r = handle(e);
            assertThat(r.result()).isEqualTo(Result.FAIL);
            assertThat(r.deadLetterQueueRecords()).isEmpty();
        }
        assertThat(count(DeadLetterReasons.PROCESSING_ERROR)).isZero();
        assertThat(handle(new NullPointerException("a bug")).result()).as("the bug budget is untouched")
                .isEqualTo(Result.RESUME);
    }

    @Test
    void aSinkFailingForOneRecordIsABugWithinTheBudgetNotACrashLoop() {
        // E.g. the repartition sink (input.keyed.by.user=false) rejecting one input event: restarting would not help.
        var oneRecord = new StreamsException("Unable to serialize record", new SerializationException("decimal too wide"));
        Response r = handle(oneRecord);
        assertThat(r.result()).isEqualTo(Result.RESUME);
        assertThat(r.deadLetterQueueRecords()).singleElement().satisfies(d -> assertThat(
                new String(d.headers().lastHeader(DeadLetterReasons.HEADER).value())).isEqualTo("PROCESSING_ERROR"));
    }

    @Test
    void theBudgetRefillsAfterAMinute() {
        AtomicLong now = new AtomicLong();
        ProcessingErrorBudget budget = new ProcessingErrorBudget(2, now::get);
        assertThat(budget.tryTake()).isTrue();
        assertThat(budget.tryTake()).isTrue();
        assertThat(budget.tryTake()).isFalse();
        now.addAndGet(ProcessingErrorBudget.WINDOW_NANOS);
        assertThat(budget.tryTake()).isTrue();
    }

    private Response handle(Exception e) {
        var context = new DefaultErrorHandlerContext(null, Topics.CART.name(), 1, 4L, new RecordHeaders(), "cart-validate",
                new TaskId(0, 1), 0L, "u".getBytes(), new byte[] {1, 2});
        return handler.handleError(context, new Record<>("u", "v", 0L), e);
    }

    private double count(String reason) {
        var c = metrics.registry().find(IntentMetrics.DLQ_RECORDS).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }
}
