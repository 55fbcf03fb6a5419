package io.intentstream.model;

import java.util.Arrays;
import java.util.List;

/**
 * The model's tensors, defined once: each input and output by the key under which the sidecar
 * names its ONNX tensor. The sidecar parser, the signature check and the session call all address
 * tensors through these constants, never by position. A new tensor (a step graph's K/V cache, say)
 * is one new constant here plus the code that fills or reads it.
 */
public final class ModelSignature {
    private ModelSignature() {}

    /** int64 inputs; {@code rank} 2 = [batch, seq], 1 = [batch]. */
    public enum Input {
        ACTION_IDS("action_ids", 2),
        ITEM_IDS("item_ids", 2),
        CATEGORY_IDS("category_ids", 2),
        GAP_BUCKETS("gap_buckets", 2),
        LENGTHS("lengths", 1);

        public final String sidecarKey;
        public final int rank;

        Input(String sidecarKey, int rank) {
            this.sidecarKey = sidecarKey;
            this.rank = rank;
        }
    }

    public enum Output {
        /** float [batch, next actions]. */
        NEXT_ACTION_PROBS("next_action_probs"),
        /** float [batch]. */
        PURCHASE_PROB("purchase_prob"),
        /** float [batch, top_k]. */
        TOPK_SCORES("topk_scores"),
        /** int64 [batch, top_k]. */
        TOPK_ITEM_IDS("topk_item_ids"),
        /** float [batch, seq]: last layer's attention from the scored position. */
        ATTENTION("attention");

        public final String sidecarKey;

        Output(String sidecarKey) {
            this.sidecarKey = sidecarKey;
        }
    }

    static List<String> inputKeys() {
        return Arrays.stream(Input.values()).map(i -> i.sidecarKey).toList();
    }

    static List<String> outputKeys() {
        return Arrays.stream(Output.values()).map(o -> o.sidecarKey).toList();
    }
}
