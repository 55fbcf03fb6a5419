package io.intentstream.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the registry client from Confluent's keys, so HTTPS to a registry with a private CA
 * needs configuration only (no JVM-wide {@code javax.net.ssl.*} properties):
 * {@code schema.registry.ssl.truststore.location/password/type} and, for mutual TLS,
 * {@code schema.registry.ssl.keystore.location/password/type} and {@code schema.registry.ssl.key.password}.
 * Without a truststore the JVM's default trust applies.
 */
public final class RegistryTls {
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

    private RegistryTls() {}

    /** The client's SSL context, or empty when neither a truststore nor a keystore is configured. */
    public static Optional<SSLContext> clientContext(Map<String, ?> config) {
        String trust = string(config, TRUSTSTORE_LOCATION);
        String keys = string(config, KEYSTORE_LOCATION);
        if (trust == null && keys == null) {
            return Optional.empty();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keys == null ? null : keyManagers(load(keys, string(config, KEYSTORE_TYPE), string(config, KEYSTORE_PASSWORD)),
                            string(config, KEY_PASSWORD) != null ? string(config, KEY_PASSWORD) : string(config, KEYSTORE_PASSWORD)).getKeyManagers(),
                    trust == null ? null : trustManagers(load(trust, string(config, TRUSTSTORE_TYPE),
                            string(config, TRUSTSTORE_PASSWORD))).getTrustManagers(),
                    null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot set up TLS for the schema registry client: " + e.getMessage(), e);
        }
    }

    /** A server-side context from a keystore holding the server's key and certificate chain. */
    public static SSLContext serverContext(Path keystore, String type, String password) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(load(keystore.toString(), type, password), password).getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot set up TLS from " + keystore + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String location, String type, String password) throws GeneralSecurityException {
        Path path = Path.of(location);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("Cannot read key/trust store " + location);
        }
        KeyStore store = KeyStore.getInstance(type == null || type.isBlank() ? "PKCS12" : type.trim());
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password == null ? null : password.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load key/trust store " + location + " (wrong password or type?)", e);
        }
        return store;
    }

    private static KeyManagerFactory keyManagers(KeyStore store, String password) throws GeneralSecurityException {
        KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        f.init(store, password == null ? new char[0] : password.toCharArray());
        return f;
    }

    private static TrustManagerFactory trustManagers(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        return f;
    }

    private static String string(Map<String, ?> config, String key) {
        Object v = config.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString().trim();
    }
}
