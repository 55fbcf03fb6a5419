package io.intentstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the registry client reaches the registry: one REST call at a time over {@link HttpClient},
 * failing over across the configured URLs (the last one that answered first), backing off between
 * rounds, Basic credentials in the header (never in the request line), 4xx thrown at once. TLS
 * trusts Confluent's {@code schema.registry.ssl.truststore.*} (and presents
 * {@code schema.registry.ssl.keystore.*}) when set ({@link RegistryTls}), else the JVM's default SSLContext.
 */
final class RegistryTransport {
    private static final Logger log = LoggerFactory.getLogger(RegistryTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClientConfig config;
    private final List<URI> baseUris;
    private final Optional<String> authorization;
    private final HttpClient http;
    private volatile int preferredUrl;

    RegistryTransport(RegistryClientConfig config) {
        this.config = config;
        List<URI> uris = new ArrayList<>();
        String urlUserInfo = null;
        for (String url : config.urls()) {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (uri.getRawUserInfo() != null) {
                urlUserInfo = decode(uri.getRawUserInfo());
                // Credentials go in the Authorization header, never in the request line.
                uri = URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath()));
            }
            uris.add(uri);
        }
        this.baseUris = List.copyOf(uris);
        this.authorization = credentials(config, urlUserInfo)
                .map(c -> "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(config.timeout());
        if (config.sslContext() != null) {
            http.sslContext(config.sslContext());
        }
        this.http = http.build();
    }

    private static Optional<String> credentials(RegistryClientConfig config, String urlUserInfo) {
        String source = config.credentialsSource().isBlank() ? "URL" : config.credentialsSource().trim().toUpperCase();
        return switch (source) {
            case "USER_INFO" -> config.userInfo().isBlank() ? Optional.empty() : Optional.of(config.userInfo());
            case "URL" -> Optional.ofNullable(urlUserInfo);
            default -> throw new IllegalArgumentException("Unsupported " + RegistryClientConfig.CREDENTIALS_SOURCE
                    + ": " + config.credentialsSource() + " (use USER_INFO or URL)");
        };
    }

    /** One REST call with failover across URLs and backoff between rounds; 4xx is thrown at once. */
    JsonNode call(String method, String path, JsonNode body) {
        RuntimeException lastError = null;
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            if (attempt > 0) {
                sleep(backoff(attempt));
            }
            for (int i = 0; i < baseUris.size(); i++) {
                int index = (preferredUrl + i) % baseUris.size();
                URI uri = URI.create(baseUris.get(index) + path);
                HttpResponse<String> response;
                try {
                    response = http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    log.warn("Schema registry {} {} failed: {}", method, uri, e.toString());
                    lastError = new RegistryUnavailableException(-1, -1, "I/O error calling " + uri + ": " + e, e);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException(-1, -1, "Interrupted calling " + uri, e);
                }
                preferredUrl = index;
                int status = response.statusCode();
                if (status < 300) {
                    return parse(response.body());
                }
                RegistryException error = errorOf(status, response.body());
                if (status < 500) {
                    throw error;
                }
                log.warn("Schema registry {} {} answered {}", method, uri, status);
                lastError = error;
            }
        }
        String reason = lastError == null ? "no URL" : lastError.getMessage();
        if (lastError instanceof RegistryException r) {
            throw new RegistryUnavailableException(r.httpStatus(), r.errorCode(),
                    "Schema registry unavailable after " + (config.retries() + 1) + " attempts: " + r.detail(), lastError);
        }
        throw new RegistryUnavailableException(-1, -1, "Schema registry unavailable: " + reason, lastError);
    }

    private HttpRequest request(String method, URI uri, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Accept", RestSchemaRegistryClient.CONTENT_TYPE + ", application/json")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            builder.header("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        }
        authorization.ifPresent(a -> builder.header("Authorization", a));
        return builder.build();
    }

    private Duration backoff(int attempt) {
        long millis = config.backoff().toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, config.maxBackoff().toMillis()));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException(-1, -1, "Interrupted while backing off", e);
        }
    }

    private static RegistryException errorOf(int status, String body) {
        int code = status;
        String message = body;
        try {
            JsonNode node = JSON.readTree(body);
            code = node.path("error_code").asInt(status);
            message = node.path("message").asText(body);
        } catch (IOException | RuntimeException e) {
            // Not a Confluent error body (a proxy's HTML page, say): keep status and raw text.
        }
        return RegistryException.of(status, code, message);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(200, -1, "Unparseable registry response: " + body);
        }
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
