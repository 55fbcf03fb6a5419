package io.intentstream.it;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.Map;

/**
 * The app image as an orchestrator runs it: its own entrypoint and command, configured only by
 * {@code INTENTSTREAM_*} environment variables, a named volume on the state directory and a
 * memory limit (the JVM sizes its heap from it). Host network, HTTP on a free loopback port,
 * never pulled. Stopping is left to the caller ({@link #stopWithSigterm}) so exit code and logs
 * can be checked; {@link #remove} deletes the container.
 */
final class AppContainer {
    static final String STATE_VOLUME_PATH = "/var/lib/intent-stream";

    private final GenericContainer<?> container;
    private final int httpPort;

    AppContainer(String image, String volume, Map<String, String> env) {
        httpPort = Ports.free();
        container = new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(name -> false)
                .withNetworkMode("host")
                .withEnv(env)
                .withEnv("INTENTSTREAM_HTTP_BIND", "127.0.0.1")
                .withEnv("INTENTSTREAM_HTTP_PORT", Integer.toString(httpPort))
                .withEnv("INTENTSTREAM_STREAMS_APPLICATION_SERVER", "127.0.0.1:" + httpPort)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withMemory(1536L * 1024 * 1024)
                        .withBinds(com.github.dockerjava.api.model.Bind.parse(volume + ":" + STATE_VOLUME_PATH)))
                .withStartupTimeout(Duration.ofSeconds(60));
        container.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    String logs() {
        return container.getLogs();
    }

    GenericContainer<?> container() {
        return container;
    }

    /** {@code docker stop}: SIGTERM, then SIGKILL after the grace period. Returns the exit code. */
    long stopWithSigterm(Duration grace) {
        DockerClient docker = DockerClientFactory.instance().client();
        docker.stopContainerCmd(container.getContainerId()).withTimeout((int) grace.toSeconds()).exec();
        return docker.inspectContainerCmd(container.getContainerId()).exec().getState().getExitCodeLong();
    }

    /** Docker's view of the image's HEALTHCHECK: starting, healthy or unhealthy. */
    String healthStatus() {
        var health = DockerClientFactory.instance().client().inspectContainerCmd(container.getContainerId()).exec().getState().getHealth();
        return health == null ? "none" : health.getStatus();
    }

    void remove() {
        container.stop();
    }
}
