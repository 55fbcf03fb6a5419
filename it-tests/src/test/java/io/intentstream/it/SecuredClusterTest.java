package io.intentstream.it;

import io.intentstream.app.TopicCreation;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.it.security.SecuredKafkaBroker;
import io.intentstream.it.security.TestCertificates;
import io.intentstream.registry.RegistryTls;
import io.intentstream.registry.server.SchemaRegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A secured deployment through configuration only: the broker's client listener is SASL_SSL
 * (SCRAM-SHA-512, certificates made with keytool at test time) and the schema registry is HTTPS
 * with basic auth. The app, {@code replay} and a producer connect with nothing but settings; a
 * wrong password fails fast with a clear message and a non-zero exit; and the app's INFO log
 * carries no shopper ids or event contents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class SecuredClusterTest {
    private static final String KAFKA_USER = "intent-app";
    private static final String KAFKA_PASSWORD = "scram-" + System.nanoTime();
    private static final String REGISTRY_USER_INFO = "registry-user:registry-" + System.nanoTime();
    private static final String USER_PREFIX = "pii-shopper-";

    private Path work;
    private TestCertificates certs;
    private SecuredKafkaBroker broker;
    private SchemaRegistryServer registry;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("it-secured");
        certs = TestCertificates.create(work);
        broker = SecuredKafkaBroker.start(work, certs, KAFKA_USER, KAFKA_PASSWORD);
        registry = SchemaRegistryServer.builder().basicAuth(REGISTRY_USER_INFO)
                .tls(RegistryTls.serverContext(certs.keystore(), "PKCS12", certs.password())).build().start();
        Map<String, Object> admin = new HashMap<>(kafkaClient(KAFKA_PASSWORD));
        admin.put("bootstrap.servers", broker.bootstrapServers());
        TopicCreation.ensure(admin, 3, (short) 1);
    }

    @AfterAll
    void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void appProducerAndReplayWorkThroughSettingsOnlyAndLogNoShopperData() throws Exception {
        int port = Ports.free();
        Path config = writeConfig("good", KAFKA_PASSWORD);
        ChildJvm app = ChildJvm.start(Path.of("target", "it-logs", "secured-app.log"), List.of("run", "--config",
                config.toString(), "--http-port", String.valueOf(port)));
        try {
            Await.until("secured app ready", Duration.ofSeconds(120), () -> {
                assertThat(app.isAlive()).as("app alive\n" + app.tail()).isTrue();
                return Http.status("http://127.0.0.1:" + port + "/health/ready") == 200;
            });
            Map<String, Object> clientSettings = new HashMap<>(kafkaClient(KAFKA_PASSWORD));
            clientSettings.putAll(registryClient());
            List<ShopEvent> sent = new ArrayList<>();
            try (ShopEventProducer producer = new ShopEventProducer(broker.bootstrapServers(), registry.url(),
                    clientSettings, e -> { })) {
                for (int u = 0; u < 5; u++) {
                    sent.addAll(ShopTraffic.session(USER_PREFIX + u, 3, 70 + u));
                }
                sent.forEach(producer::send);
                producer.flush();
                assertThat(producer.failures()).isZero();
            }
            for (int u = 0; u < 5; u++) {
                String url = "http://127.0.0.1:" + port + "/users/" + USER_PREFIX + u + "/intent";
                Await.until("score of shopper " + u + " on all 3 events", Duration.ofSeconds(60),
                        () -> Http.get(url).body().contains("\"sequence_length\":3"));
            }

            Path csv = work.resolve("replay.csv");
            Files.writeString(csv, "user_id,session_id,event_time_ms,event_type,item_id\n"
                    + USER_PREFIX + "replayed,s1," + System.currentTimeMillis() + ",view,"
                    + sent.stream().filter(e -> e.itemId() != null).findFirst().orElseThrow().itemId() + "\n");
            assertThat(runCli(List.of("replay", "--config", config.toString(), "--format", "generic", csv.toString())))
                    .as("replay over SASL_SSL and HTTPS").isZero();
            String replayed = "http://127.0.0.1:" + port + "/users/" + USER_PREFIX + "replayed/intent";
            Await.until("replayed shopper scored", Duration.ofSeconds(60), () -> Http.status(replayed) == 200);

            assertThat(app.terminate(Duration.ofSeconds(40))).isIn(0, 143);
            String log = app.output();
            assertThat(log).contains("connected to Kafka cluster");
            // No shopper id, session id, item id or search term of the traffic at INFO.
            assertThat(log).doesNotContain(USER_PREFIX);
            for (ShopEvent e : sent) {
                if (e.query() != null) {
                    assertThat(log).doesNotContainPattern(Pattern.compile("\\b" + Pattern.quote(e.query()) + "\\b"));
                }
            }
            assertThat(log).doesNotContain(KAFKA_PASSWORD).doesNotContain(REGISTRY_USER_INFO.split(":")[1]);
        } finally {
            app.close();
        }
    }

    @Test
    void aWrongPasswordFailsFastWithAClearMessage() throws Exception {
        ChildJvm app = ChildJvm.start(Path.of("target", "it-logs", "secured-wrong-password.log"), List.of("run",
                "--config", writeConfig("wrong", "not-the-password").toString(), "--http-port", "0"));
        try {
            long start = System.nanoTime();
            Await.until("the app exits", Duration.ofSeconds(45), () -> !app.isAlive());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(app.exitCode()).isNotZero();
            assertThat(app.output()).contains("refused this app's credentials").contains("kafka.sasl.jaas.config");
        } finally {
            app.close();
        }
    }

    private Map<String, String> kafkaClient(String password) {
        return Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", SecuredKafkaBroker.MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + KAFKA_USER + "\" password=\"" + password + "\";",
                "ssl.truststore.location", certs.truststore().toString(),
                "ssl.truststore.password", certs.password(),
                "ssl.truststore.type", "PKCS12");
    }

    private Map<String, String> registryClient() {
        return Map.of(
                "schema.registry.url", registry.url(),
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", REGISTRY_USER_INFO,
                RegistryTls.TRUSTSTORE_LOCATION, certs.truststore().toString(),
                RegistryTls.TRUSTSTORE_PASSWORD, certs.password(),
                RegistryTls.TRUSTSTORE_TYPE, "PKCS12");
    }

    private Path writeConfig(String name, String kafkaPassword) throws Exception {
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
        kafkaClient(kafkaPassword).forEach((k, v) -> p.setProperty("kafka." + k, v));
        registryClient().forEach((k, v) -> p.setProperty("registry." + k, v));
        p.setProperty("streams.application.id", "it-secured");
        p.setProperty("streams.state.dir", work.resolve("state-" + name).toString());
        p.setProperty("streams.replication.factor", "1");
        p.setProperty("inference.intra.op.threads", "1");
        Path file = work.resolve(name + ".properties");
        try (var out = Files.newOutputStream(file)) {
            p.store(out, "secured cluster test");
        }
        return file;
    }

    private static int runCli(List<String> args) throws Exception {
        ChildJvm cli = ChildJvm.start(Path.of("target", "it-logs", "secured-" + args.get(0) + ".log"), args);
        try {
            Await.until(args.get(0) + " finishes", Duration.ofSeconds(90), () -> !cli.isAlive());
            if (cli.exitCode() != 0) {
                System.err.println(cli.tail());
            }
            return cli.exitCode();
        } finally {
            cli.close();
        }
    }
}
