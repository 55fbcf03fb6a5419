package io.intentstream.config;

/** Where the HTTP surface binds and how peers reach it ({@code http.*}); advertisedHost empty = derive it. */
public record HttpSettings(String bind, int port, String advertisedHost) {
    public static final String BIND = "http.bind";
    public static final String PORT = "http.port";
    public static final String ADVERTISED_HOST = "http.advertised.host";

    static HttpSettings read(SettingsReader r) {
        return new HttpSettings(r.string(BIND), r.intInRange(PORT, 0, 65_535), r.optional(ADVERTISED_HOST));
    }
}
