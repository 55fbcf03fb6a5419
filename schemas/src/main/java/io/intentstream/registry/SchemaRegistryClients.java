package io.intentstream.registry;

import java.util.Map;

/** Picks the client for a config: {@code mock://scope} → {@link MockSchemaRegistry}, else REST. */
public final class SchemaRegistryClients {
    private SchemaRegistryClients() {}

    public static SchemaRegistryClient create(Map<String, ?> config) {
        Object url = config.get(RegistryClientConfig.URL);
        if (url == null) {
            throw new IllegalArgumentException("Missing " + RegistryClientConfig.URL);
        }
        String first = url.toString().split(",")[0].trim();
        if (first.startsWith(MockSchemaRegistry.URL_PREFIX)) {
            return MockSchemaRegistry.forScope(MockSchemaRegistry.scopeOf(first));
        }
        return new RestSchemaRegistryClient(RegistryClientConfig.from(config));
    }
}
