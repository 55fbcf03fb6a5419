package io.intentstream.app;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Process-level options of the app that are not stream-processing config: where the HTTP surface
 * binds, how peers reach it, and whether to create topics at start-up.
 *
 * @param advertisedHost host peers use for forwarded queries ({@code application.server}); null
 *                       = the bind address, or this machine's name when bound to every interface
 * @param topicPartitions partitions for topics created with {@code createTopics}
 */
public record AppOptions(String httpBind, int httpPort, String advertisedHost, boolean createTopics,
                         int topicPartitions, short replicationFactor) {

    public static AppOptions loopback(int httpPort) {
        return new AppOptions("127.0.0.1", httpPort, null, false, 3, (short) 1);
    }

    String advertisedHostOrDefault() {
        if (advertisedHost != null && !advertisedHost.isBlank()) {
            return advertisedHost;
        }
        if (!"0.0.0.0".equals(httpBind) && !"::".equals(httpBind)) {
            return httpBind;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
