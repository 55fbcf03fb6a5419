package io.intentstream.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.intentstream.config.ModelSettings.Provider;
import io.intentstream.metrics.IntentMetrics;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the ONNX Runtime execution provider. {@code getAvailableProviders()} lists CUDA for the
 * GPU jar even on a machine with no GPU, and the GPU jar's {@code addCUDA} only fails after
 * seconds of unpacking a large library, so the probe runs once per process and is cached.
 */
public final class ExecutionProviders {
    private static final Logger log = LoggerFactory.getLogger(ExecutionProviders.class);
    static final String CUDA_NEEDS = "an NVIDIA GPU with its driver, the onnxruntime_gpu jar (build with -Pgpu) "
            + "and CUDA 12 (libcudart.so.12, libcublas.so.12, libcublasLt.so.12, libcurand.so.10) plus cuDNN 9 "
            + "on the library path (LD_LIBRARY_PATH)";

    /** Outcome of the one CUDA probe of this process. */
    public record CudaProbe(boolean available, String detail) {}

    private static volatile CudaProbe probe;
    private static final AtomicBoolean warned = new AtomicBoolean();

    private ExecutionProviders() {}

    /** The provider a model session should use; CUDA failures throw in cuda mode, fall back in auto. */
    public static String resolve(Provider requested, IntentMetrics metrics) {
        switch (requested) {
            case CPU:
                return "cpu";
            case CUDA: {
                CudaProbe p = probeCuda();
                if (!p.available()) {
                    throw new IllegalStateException("inference.provider=cuda but the CUDA execution provider "
                            + "cannot be used: " + p.detail() + ". It needs " + CUDA_NEEDS
                            + ". Set inference.provider=auto or cpu to run on CPU.");
                }
                return "cuda";
            }
            default: {
                CudaProbe p = probeCuda();
                if (p.available()) {
                    return "cuda";
                }
                metrics.providerFallback();
                if (warned.compareAndSet(false, true)) {
                    log.warn("inference.provider=auto: CUDA unavailable ({}); scoring on CPU", p.detail());
                }
                return "cpu";
            }
        }
    }

    /** Runs the CUDA probe once per process; later calls return the cached answer. */
    public static synchronized CudaProbe probeCuda() {
        if (probe != null) {
            return probe;
        }
        OrtStartup.environment();
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            probe = new CudaProbe(false, "this ONNX Runtime build has no CUDA provider (CPU onnxruntime jar)");
            return probe;
        }
        long start = System.nanoTime();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.addCUDA(0);
            probe = new CudaProbe(true, "CUDA provider loaded");
        } catch (OrtException | RuntimeException | LinkageError e) {
            probe = new CudaProbe(false, "loading the CUDA provider failed: " + e.getMessage());
        }
        log.debug("CUDA probe took {} ms: {}", (System.nanoTime() - start) / 1_000_000, probe);
        return probe;
    }

    /** Applies the resolved provider to new session options. */
    static void apply(String provider, OrtSession.SessionOptions options) throws OrtException {
        if ("cuda".equals(provider)) {
            options.addCUDA(0);
        }
    }
}
