package io.intentstream.http;

/**
 * Time limits of the JDK's built-in HTTP server, which are JVM-wide system properties read once,
 * when the first server of the process is created. Without them a client that sends its request
 * slowly (slowloris) holds a handler thread forever; a few such connections starve the health
 * probes and get the pod restarted. A value given with {@code -D} wins.
 */
public final class HttpServerLimits {
    /** Seconds a client has to send the whole request, headers and body. */
    public static final long MAX_REQUEST_SECONDS = 5;
    /** Seconds a client has to read the whole response (a /metrics body is the largest). */
    public static final long MAX_RESPONSE_SECONDS = 30;

    private HttpServerLimits() {}

    /** Sets the limits unless already set; call before any HTTP server of the JVM is created. */
    public static void install() {
        setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    }

    private static void setIfAbsent(String key, long seconds) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, Long.toString(seconds));
        }
    }
}
