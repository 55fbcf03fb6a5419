package io.intentstream.it.bench;

import io.intentstream.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The practical ceiling for the live benchmark: a Kafka Streams app with the intent app's
 * guarantee (exactly_once_v2, one stream thread) that copies the three input topics' bytes to one
 * output topic, decoding nothing. Usage: {@code PassthroughApp BOOTSTRAP APPLICATION_ID STATE_DIR}.
 */
public final class PassthroughApp {
    public static final String OUTPUT = "bench.passthrough.v1";

    private PassthroughApp() {}

    public static void main(String[] args) throws InterruptedException {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        p.put(StreamsConfig.STATE_DIR_CONFIG, args[2]);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.INPUTS.stream().map(t -> t.name()).toList(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(OUTPUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        CountDownLatch stopped = new CountDownLatch(1);
        KafkaStreams streams = new KafkaStreams(builder.build(), p);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }
}
