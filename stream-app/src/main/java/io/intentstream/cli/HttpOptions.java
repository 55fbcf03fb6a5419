package io.intentstream.cli;

import picocli.CommandLine.Option;

/** HTTP options shared by {@code run} and {@code demo}. */
final class HttpOptions {
    @Option(names = "--http-bind", defaultValue = "127.0.0.1",
            description = "Address the HTTP endpoints bind to; loopback by default, 0.0.0.0 in containers (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port, 0 for any free port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--advertised-host",
            description = "Host name other instances use to reach this one's HTTP port (application.server); default: the bind address, or the host name when binding 0.0.0.0")
    String advertisedHost;
}
