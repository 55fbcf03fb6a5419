package io.intentstream.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.intentstream.model.ModelSignature.Output;
import io.intentstream.model.ModelSignature.RecommendOutput;
import io.intentstream.model.ModelSignature.ScoreOutput;
import io.intentstream.model.ModelSignature.Tensor;
import java.util.Map;

/**
 * Checks a graph's session against {@link ModelSignature} and the sidecar before it is served:
 * every input with its type and rank, every output, the widths the sidecar promises, and the
 * version and constants in the graph's metadata.
 */
final class GraphSignature {
    private GraphSignature() {}

    static void check(OrtSession session, Tensor[] expected, Output[] outputs, String graph, ModelSidecar sidecar)
            throws OrtException {
        Map<String, NodeInfo> in = session.getInputInfo();
        Map<String, NodeInfo> out = session.getOutputInfo();
        for (Tensor t : expected) {
            NodeInfo n = in.get(t.tensorName());
            IntentModel.require(n != null, graph + " graph has no input '" + t.tensorName() + "' (inputs: " + in.keySet() + ")");
            TensorInfo info = (TensorInfo) n.getInfo();
            IntentModel.require(info.type == t.type(), graph + " input " + t.tensorName() + " must be " + t.type() + ", is " + info.type);
            IntentModel.require(info.getShape().length == t.rank(), graph + " input " + t.tensorName() + " has rank " + info.getShape().length);
        }
        for (Output o : outputs) {
            IntentModel.require(out.containsKey(o.tensorName()), graph + " graph has no output '" + o.tensorName() + "'");
        }
        if (out.containsKey(ScoreOutput.NEXT_ACTION_PROBS.tensorName())) {
            long[] next = ((TensorInfo) out.get(ScoreOutput.NEXT_ACTION_PROBS.tensorName()).getInfo()).getShape();
            IntentModel.require(next.length == 2 && (next[1] < 0 || next[1] == sidecar.nextActions().size()),
                    graph + " next_action_probs width differs from sidecar next_actions (" + sidecar.nextActions().size() + ")");
        }
        if (out.containsKey(RecommendOutput.TOPK_ITEM_IDS.tensorName())) {
            long[] top = ((TensorInfo) out.get(RecommendOutput.TOPK_ITEM_IDS.tensorName()).getInfo()).getShape();
            IntentModel.require(top.length == 2 && (top[1] < 0 || top[1] == sidecar.topK()),
                    graph + " topk_item_ids width differs from sidecar top_k " + sidecar.topK());
        }
        Map<String, String> meta = session.getMetadata().getCustomMetadata();
        checkMeta(meta, "model_version", sidecar.modelVersion());
        checkMeta(meta, "max_seq_len", Integer.toString(sidecar.maxSeqLen()));
        checkMeta(meta, "top_k", Integer.toString(sidecar.topK()));
    }

    private static void checkMeta(Map<String, String> meta, String key, String expected) {
        String v = meta.get(key);
        IntentModel.require(v == null || v.equals(expected), "ONNX metadata " + key + "=" + v + " differs from the sidecar's " + expected);
    }
}
