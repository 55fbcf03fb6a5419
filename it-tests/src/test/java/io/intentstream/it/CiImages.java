package io.intentstream.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The local images the container tests use, as built by {@code infra/ci/build-images.sh} in the
 * it-tests' pre-integration-test phase (their tags change with their content, so the names are
 * read from the file the script writes, never hard-coded).
 */
public final class CiImages {
    private final Properties props;

    private CiImages(Properties props) {
        this.props = props;
    }

    public static CiImages load() {
        String file = System.getProperty("intentstream.it.images");
        if (file == null) {
            throw new IllegalStateException("system property intentstream.it.images is not set: run the container tests "
                    + "through Maven (./mvnw -pl it-tests -am verify), which builds the images first");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (written by infra/ci/build-images.sh)", e);
        }
        return new CiImages(p);
    }

    /** The app image: infra/docker/Dockerfile built with only BASE_IMAGE set. */
    public String app() {
        return get("app.image");
    }

    /** The Kafka broker stand-in for apache/kafka (infra/kafka-standin). */
    public String kafka() {
        return get("kafka.image");
    }

    /** Debian bookworm + Debian's Java 17 runtime, the base both images are built on. */
    public String base() {
        return get("base.image");
    }

    public long appImageBytes() {
        return Long.parseLong(get("app.image.bytes"));
    }

    private String get(String key) {
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(key + " missing from the images file");
        }
        return v;
    }
}
