package io.intentstream.app;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One question to the cluster before anything starts. Kafka clients retry a refused login or an
 * unreachable broker quietly and forever, so a wrong password used to look like a hang; asking
 * once, with a deadline, turns it into a one-line error and a non-zero exit.
 */
final class KafkaPreflight {
    private KafkaPreflight() {}

    /** Returns the cluster id, or throws {@link IllegalStateException} naming what to fix. */
    static String check(Map<String, Object> clientConfig, Duration timeout) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "intentstream-preflight");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Object bootstrap = config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                throw new IllegalStateException("Kafka at " + bootstrap + " refused this app's credentials ("
                        + cause.getMessage() + "): check kafka.security.protocol, kafka.sasl.mechanism, "
                        + "kafka.sasl.jaas.config and kafka.ssl.*", cause);
            }
            if (cause instanceof AuthorizationException) {
                throw new IllegalStateException("Kafka at " + bootstrap + " does not allow this app to describe the "
                        + "cluster (" + cause.getMessage() + "): check its ACLs", cause);
            }
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds()
                    + " s (" + cause + "): check kafka.bootstrap.servers and the network", cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds()
                    + " s: check kafka.bootstrap.servers and the network", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka at " + bootstrap, e);
        }
    }
}
