package io.intentstream.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The named inputs of one ONNX Runtime call, as tensors over the calling thread's reusable direct
 * buffers ({@link InputBuffers}, one slot per input in the order they are added), tracked by the
 * call's {@link NativeResources} so they are closed with it.
 */
final class Feeds {
    private final OrtEnvironment env;
    private final NativeResources scope;
    private final InputBuffers buffers = InputBuffers.current();
    private final Map<String, OnnxTensor> tensors = new HashMap<>(16);
    private int nextSlot;

    Feeds(OrtEnvironment env, NativeResources scope) {
        this.env = env;
        this.scope = scope;
    }

    /** A buffer of {@code n} floats for an input the caller fills in place, then adds with {@link #add}. */
    FloatBuffer reserve(int n) {
        return buffers.floats(nextSlot++, n);
    }

    Feeds add(String name, FloatBuffer filled, long[] shape) throws OrtException {
        return put(name, OnnxTensor.createTensor(env, filled, shape));
    }

    Feeds floats(String name, float[] data, long[] shape) throws OrtException {
        return add(name, buffers.copyOf(nextSlot++, data), shape);
    }

    Feeds longs(String name, long[] data, long[] shape) throws OrtException {
        return put(name, OnnxTensor.createTensor(env, buffers.copyOf(nextSlot++, data), shape));
    }

    private Feeds put(String name, OnnxTensor tensor) {
        tensors.put(name, scope.track(tensor));
        return this;
    }

    Map<String, OnnxTensor> tensors() {
        return tensors;
    }
}
