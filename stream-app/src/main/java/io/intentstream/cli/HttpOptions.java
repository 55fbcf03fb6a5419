package io.intentstream.cli;

import io.intentstream.app.AppOptions;
import io.intentstream.config.IntentConfig;
import picocli.CommandLine.Option;

/**
 * HTTP options shared by {@code run} and {@code demo}. Each flag overrides its config key
 * ({@code http.bind}, {@code http.port}, {@code http.advertised.host}), so containers can set them
 * by environment ({@code INTENTSTREAM_HTTP_BIND=0.0.0.0}) without changing the command.
 */
public final class HttpOptions {
    @Option(names = "--http-bind",
            description = "Address the HTTP endpoints bind to (overrides http.bind: loopback by default, 0.0.0.0 in containers)")
    String bind;

    @Option(names = "--http-port", description = "HTTP port, 0 for any free port (overrides http.port, default 8080)")
    Integer port;

    @Option(names = "--advertised-host",
            description = "Host name other instances use to reach this one's HTTP port (overrides http.advertised.host; "
                    + "default: the bind address, or the host name when binding 0.0.0.0)")
    String advertisedHost;

    public AppOptions appOptions(IntentConfig cfg, boolean createTopics, int partitions, short replication) {
        String advertised = advertisedHost != null ? advertisedHost : cfg.http().advertisedHost();
        return new AppOptions(bind != null ? bind : cfg.http().bind(), port != null ? port : cfg.http().port(),
                advertised.isBlank() ? null : advertised, createTopics, partitions, replication);
    }
}
