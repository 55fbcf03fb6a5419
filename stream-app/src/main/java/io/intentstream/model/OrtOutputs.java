package io.intentstream.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.intentstream.model.ModelSignature.Output;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/** Copies a graph's outputs out of native memory, checking each has the size the sidecar promises. */
final class OrtOutputs {
    private OrtOutputs() {}

    static float[] floats(OrtSession.Result r, Output output, int expected) throws OrtException {
        FloatBuffer fb = tensor(r, output).getFloatBuffer();
        if (fb.remaining() != expected) {
            throw IntentModel.rejected("output " + output.tensorName() + " has " + fb.remaining() + " values, expected " + expected);
        }
        if (fb.hasArray() && fb.arrayOffset() == 0 && fb.array().length == expected) {
            return fb.array(); // getFloatBuffer already copied out of native memory: keep that copy
        }
        float[] a = new float[expected];
        fb.get(a);
        return a;
    }

    static long[] longs(OrtSession.Result r, Output output, int expected) throws OrtException {
        LongBuffer lb = tensor(r, output).getLongBuffer();
        if (lb.remaining() != expected) {
            throw IntentModel.rejected("output " + output.tensorName() + " has " + lb.remaining() + " values, expected " + expected);
        }
        if (lb.hasArray() && lb.arrayOffset() == 0 && lb.array().length == expected) {
            return lb.array();
        }
        long[] a = new long[expected];
        lb.get(a);
        return a;
    }

    private static OnnxTensor tensor(OrtSession.Result r, Output output) {
        OnnxValue v = r.get(output.tensorName()).orElseThrow(() -> new IllegalStateException("missing output " + output.tensorName()));
        return (OnnxTensor) v;
    }
}
