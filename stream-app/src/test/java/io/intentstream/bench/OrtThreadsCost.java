package io.intentstream.bench;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Wall time and process CPU per ONNX Runtime call of graph files at one intra-op thread setting
 * (BENCHMARKS.md, "ORT threads"): JMH reports wall time only, and the question here is the CPU a
 * thread pool burns. 50 warm-up calls, then 300 timed calls with a 1 ms pause between them (as
 * between scoring rounds; the pause is subtracted from the wall time). Inputs: batch rows of
 * plausible ids and constant floats; a dynamic sequence axis gets {@code -Dseq} (50).
 *
 * <pre>
 * CLASSPATH=stream-app/target/test-classes:stream-app/target/classes:$(cat stream-app/target/bench.classpath) \
 *   java -Dthreads=1 [-Dnospin=true] io.intentstream.bench.OrtThreadsCost 64 model-export/artifacts/step.onnx ...
 * </pre>
 * ({@code stream-app/bench} writes bench.classpath; threads=0 is ORT's default, one per core.)
 */
public final class OrtThreadsCost {
    private OrtThreadsCost() {}

    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int batch = Integer.parseInt(args[0]);
        int threads = Integer.getInteger("threads", 0);
        boolean noSpin = Boolean.getBoolean("nospin");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (String file : Arrays.copyOfRange(args, 1, args.length)) {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                if (threads > 0) {
                    o.setIntraOpNumThreads(threads);
                }
                if (noSpin) {
                    o.addConfigEntry("session.intra_op.allow_spinning", "0");
                }
                try (OrtSession s = env.createSession(Files.readAllBytes(Path.of(file)), o)) {
                    Map<String, OnnxTensor> feeds = feeds(env, s, batch);
                    for (int i = 0; i < 50; i++) {
                        s.run(feeds).close();
                    }
                    int n = 300;
                    long t0 = System.nanoTime();
                    long c0 = os.getProcessCpuTime();
                    for (int i = 0; i < n; i++) {
                        s.run(feeds).close();
                        Thread.sleep(1);
                    }
                    double wallMs = (System.nanoTime() - t0) / 1e6 / n - 1.0;
                    double cpuMs = (os.getProcessCpuTime() - c0) / 1e6 / n;
                    System.out.printf("%s batch %d threads %d nospin %s: wall %.2f ms, cpu %.2f ms per call%n", file, batch,
                            threads, noSpin, wallMs, cpuMs);
                    feeds.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    private static Map<String, OnnxTensor> feeds(OrtEnvironment env, OrtSession s, int batch) throws Exception {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        Random r = new Random(1);
        for (var e : s.getInputInfo().entrySet()) {
            String name = e.getKey();
            TensorInfo info = (TensorInfo) e.getValue().getInfo();
            long[] shape = info.getShape().clone();
            boolean cache = name.startsWith("cache");
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    shape[d] = (cache ? d == 1 : d == 0) ? batch : name.startsWith("window") ? 49 : Integer.getInteger("seq", 50);
                }
            }
            int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            if (info.type == OnnxJavaType.FLOAT) {
                float[] f = new float[size];
                Arrays.fill(f, 0.1f);
                feeds.put(name, OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape));
            } else {
                long[] l = new long[size];
                for (int k = 0; k < size; k++) {
                    l[k] = name.contains("action") ? 1 + r.nextInt(4) : name.contains("item") ? 3 + r.nextInt(2000)
                            : name.contains("categor") ? 3 + r.nextInt(20) : name.contains("gap") ? 2 + r.nextInt(10) : 30;
                }
                feeds.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(l), shape));
            }
        }
        return feeds;
    }
}
