package io.intentstream.model;

import ai.onnxruntime.OnnxJavaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The three graphs' tensors, defined once (model-export/SERVING_V2.md): each input and output by
 * its ONNX tensor name. The sidecar parser, the signature check and the session calls address
 * tensors through these constants, never by position.
 */
public final class ModelSignature {
    private ModelSignature() {}

    /** Element type and rank of a graph input. */
    public record Spec(OnnxJavaType type, int rank) {}

    private static final Spec LONG_1 = new Spec(OnnxJavaType.INT64, 1);
    private static final Spec LONG_2 = new Spec(OnnxJavaType.INT64, 2);
    private static final Spec FLOAT_2 = new Spec(OnnxJavaType.FLOAT, 2);
    private static final Spec FLOAT_5 = new Spec(OnnxJavaType.FLOAT, 5);

    /** A graph input. */
    public interface Tensor {
        Spec spec();

        default OnnxJavaType type() {
            return spec().type();
        }

        default int rank() {
            return spec().rank();
        }

        /** The ONNX tensor name (the constant's name in lower case). */
        default String tensorName() {
            return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
        }
    }

    /** Cold user: the stored events, one user per row, LEFT-padded. */
    public enum PrefillInput implements Tensor {
        ACTION_IDS(LONG_2),
        ITEM_IDS(LONG_2),
        CATEGORY_IDS(LONG_2),
        GAP_BUCKETS(LONG_2),
        /** float [batch, aggregates] of the newest event. */
        AGGREGATES(FLOAT_2);

        private final Spec spec;

        PrefillInput(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** Warm user: the K/V cache plus one new event per row. */
    public enum StepInput implements Tensor {
        /** float [layers, batch, heads, window - 1, head dim]. */
        CACHE_K(FLOAT_5),
        CACHE_V(FLOAT_5),
        /** The user's events before the new one. */
        HISTORY_LEN(LONG_1),
        /** The new event's ids and gap bucket. */
        ACTION_ID(LONG_1),
        ITEM_ID(LONG_1),
        CATEGORY_ID(LONG_1),
        GAP_BUCKET(LONG_1),
        AGGREGATES(FLOAT_2);

        private final Spec spec;

        StepInput(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** Next items for a hidden state of prefill or step, only when a recommendation is due. */
    public enum RecommendInput implements Tensor {
        /** float [batch, d_model]: the {@link ScoreOutput#HIDDEN} of the newest event. */
        HIDDEN(FLOAT_2),
        AGGREGATES(FLOAT_2),
        /** The newest receptive-field events, the newest last, LEFT-padded. */
        WINDOW_ACTION_IDS(LONG_2),
        WINDOW_ITEM_IDS(LONG_2),
        WINDOW_CATEGORY_IDS(LONG_2);

        private final Spec spec;

        RecommendInput(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** A graph output. */
    public interface Output {
        /** The ONNX tensor name (the constant's name in lower case). */
        default String tensorName() {
            return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
        }
    }

    /** Outputs of prefill and step, in this order. */
    public enum ScoreOutput implements Output {
        /** float [batch, next actions]. */
        NEXT_ACTION_PROBS,
        /** float [batch], already calibrated. */
        PURCHASE_PROB,
        /** float [batch, window]: last layer's attention of the newest event, oldest slot first. */
        ATTENTION,
        /** float [batch, d_model]: the newest event's state, what recommend reads. */
        HIDDEN,
        /** float, as the cache inputs: the cache including the newest event. */
        NEXT_CACHE_K,
        NEXT_CACHE_V
    }

    /** Outputs of recommend, in this order. */
    public enum RecommendOutput implements Output {
        /** float [batch, top_k]. */
        TOPK_SCORES,
        /** int64 [batch, top_k]. */
        TOPK_ITEM_IDS
    }

    static List<String> names(Tensor[] tensors) {
        return Arrays.stream(tensors).map(Tensor::tensorName).toList();
    }

    static List<String> names(Output[] outputs) {
        return Arrays.stream(outputs).map(Output::tensorName).toList();
    }
}
