package io.intentstream.http;

/** Liveness and readiness as orchestrators (Kubernetes probes, load balancers) see them. */
public interface HealthProbe {
    /** False only when the process should be restarted (the stream app died). */
    boolean isLive();

    /** True when this instance can answer queries and is processing: safe to send traffic. */
    boolean isReady();

    /** A short human-readable state, e.g. "RUNNING, model v3 warmed". */
    String describe();
}
