package io.intentstream.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The named inputs of one ONNX Runtime call, and the outputs it writes into buffers of ours
 * ("pinned"), as tensors over the calling thread's reusable direct buffers ({@link InputBuffers},
 * one slot per tensor in the order they are added), tracked by the call's {@link NativeResources}
 * so they are closed with it.
 */
final class Feeds {
    private final OrtEnvironment env;
    private final NativeResources scope;
    private final InputBuffers buffers = InputBuffers.current();
    private final Map<String, OnnxTensor> tensors = new HashMap<>(16);
    private final Map<String, OnnxTensor> pinned = new HashMap<>(4);
    private final long call;
    private int nextSlot;

    Feeds(OrtEnvironment env, NativeResources scope) {
        this.env = env;
        this.scope = scope;
        this.call = buffers.beginCall();
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

    /** An output ORT writes into {@code buffer} (from {@link #reserve}) instead of memory of its own. */
    Feeds pin(String output, FloatBuffer buffer, long[] shape) throws OrtException {
        pinned.put(output, scope.track(OnnxTensor.createTensor(env, buffer, shape)));
        return this;
    }

    /** Whether this call's pinned outputs are still unread by a newer call of the thread. */
    boolean isCurrent() {
        return buffers.isCurrent(call);
    }

    private Feeds put(String name, OnnxTensor tensor) {
        tensors.put(name, scope.track(tensor));
        return this;
    }

    Map<String, OnnxTensor> tensors() {
        return tensors;
    }

    Map<String, OnnxTensor> pinned() {
        return pinned;
    }
}
