package io.intentstream.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's sidecar ({@code intent-model.json}, format 3), the single source of truth for
 * feature mapping and the streaming graphs' shapes. Every id, vocabulary, bucket bound, window size
 * and aggregate used at serving time comes from here (model-export/SERVING_V2.md).
 */
public record ModelSidecar(
        String modelVersion, int maxSeqLen, int topK, String prefillFile, String stepFile,
        String recommendFile,
        List<String> actions, List<String> nextActions,
        Vocabulary items, Vocabulary categories,
        int gapPadId, int gapFirstEventId, long[] gapUpperBoundsMs,
        Map<String, String> termCategories, List<String> popularItems,
        Streaming streaming) {
    public static final int FORMAT_VERSION = 3;

    /** A vocabulary: special ids plus {@code vocab[i]} having id {@code firstId + i}. */
    public record Vocabulary(int padId, int oovId, int noneId, int firstId, List<String> vocab) {
        public int size() {
            return firstId + vocab.size();
        }
    }

    /**
     * The streaming geometry: attention window W, receptive field R = layers·(W−1)+1, the per-user
     * cache {@code [layers, heads, W−1, headDim]} for K and for V, and the aggregates' definition.
     */
    public record Streaming(int attentionWindow, int receptiveField, int layers, int heads, int headDim,
                            List<String> aggregateNames, int aggregateWindow, long sessionGapMs) {
        /** Width of a hidden state (d_model), what recommend reads. */
        public int hiddenWidth() {
            return heads * headDim;
        }

        /** Floats in one user's K (or V) cache. */
        public int cacheFloats() {
            return layers * heads * (attentionWindow - 1) * headDim;
        }

        /** Floats of one layer of one user's K (or V) cache. */
        public int layerFloats() {
            return heads * (attentionWindow - 1) * headDim;
        }
    }

    public static ModelSidecar parse(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        int format = required(root, "format_version").asInt();
        if (format != FORMAT_VERSION) {
            throw new IOException("unsupported sidecar format_version " + format + " (this build reads "
                    + FORMAT_VERSION + ": the streaming prefill/step/recommend model; re-export it with "
                    + "model-export/train_default.sh)");
        }
        JsonNode gaps = required(root, "gap_buckets");
        long[] bounds = new long[required(gaps, "upper_bounds_ms").size()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = gaps.get("upper_bounds_ms").get(i).asLong();
            if (i > 0 && bounds[i] <= bounds[i - 1]) {
                throw new IOException("gap_buckets.upper_bounds_ms must ascend");
            }
        }
        Map<String, String> terms = new LinkedHashMap<>();
        root.path("search").path("term_categories").properties().forEach(e -> terms.put(e.getKey(), e.getValue().asText()));
        JsonNode graphs = required(root, "graphs");
        List<String> scores = ModelSignature.names(ModelSignature.ScoreOutput.values());
        String prefill = graph(graphs, "prefill", ModelSignature.names(ModelSignature.PrefillInput.values()), scores);
        String step = graph(graphs, "step", ModelSignature.names(ModelSignature.StepInput.values()), scores);
        String recommend = graph(graphs, "recommend", ModelSignature.names(ModelSignature.RecommendInput.values()),
                ModelSignature.names(ModelSignature.RecommendOutput.values()));
        ModelSidecar s = new ModelSidecar(required(root, "model_version").asText(),
                required(root, "max_seq_len").asInt(), required(root, "top_k").asInt(), prefill, step, recommend,
                strings(required(root, "actions")), strings(required(root, "next_actions")),
                vocabulary(required(root, "items")), vocabulary(required(root, "categories")),
                required(gaps, "pad_id").asInt(), required(gaps, "first_event_id").asInt(), bounds,
                terms, strings(root.path("popular_items")), streaming(root));
        s.validate();
        return s;
    }

    private void validate() throws IOException {
        if (maxSeqLen < 1 || topK < 1 || topK > items.size()) {
            throw new IOException("max_seq_len and top_k must be >= 1, top_k within the item vocabulary");
        }
        Streaming st = streaming;
        if (st.attentionWindow < 2 || st.receptiveField != st.layers * (st.attentionWindow - 1) + 1) {
            throw new IOException("receptive_field " + st.receptiveField + " is not layers*(attention_window-1)+1");
        }
        // A prefill over the stored events must see every event a score depends on.
        if (st.receptiveField > maxSeqLen || st.aggregateWindow > maxSeqLen) {
            throw new IOException("receptive_field " + st.receptiveField + " / aggregates.window " + st.aggregateWindow
                    + " exceed the " + maxSeqLen + " stored events (max_seq_len)");
        }
        if (!st.aggregateNames.equals(Aggregates.NAMES)) {
            throw new IOException("aggregates.names " + st.aggregateNames + " differ from this build's " + Aggregates.NAMES);
        }
    }

    private static Streaming streaming(JsonNode root) throws IOException {
        JsonNode dims = required(root, "cache_dims");
        JsonNode agg = required(root, "aggregates");
        if (!"log1p".equals(required(agg, "transform").asText())) {
            throw new IOException("aggregates.transform must be log1p");
        }
        return new Streaming(required(root, "attention_window").asInt(), required(root, "receptive_field").asInt(),
                dims.get(0).asInt(), dims.get(2).asInt(), dims.get(4).asInt(), strings(required(agg, "names")),
                required(agg, "window").asInt(), required(agg, "session_gap_ms").asLong());
    }

    private static String graph(JsonNode graphs, String name, List<String> inputs, List<String> outputs) throws IOException {
        JsonNode g = required(graphs, name);
        if (!strings(required(g, "inputs")).equals(inputs)) {
            throw new IOException(name + " graph inputs " + g.get("inputs") + " differ from " + inputs);
        }
        if (!strings(required(g, "outputs")).equals(outputs)) {
            throw new IOException(name + " graph outputs " + g.get("outputs") + " differ from " + outputs);
        }
        return required(g, "file").asText();
    }

    /** Input id of an action name (index in {@code actions}). */
    public int actionId(String name) {
        int id = actions.indexOf(name);
        if (id < 0) {
            throw new IllegalStateException("sidecar actions lack " + name);
        }
        return id;
    }

    /** Number of distinct gap bucket ids (pad, first event, one per bound, one beyond). */
    public int gapBucketCount() {
        return 2 + gapUpperBoundsMs.length + 1;
    }

    private static JsonNode required(JsonNode node, String field) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IOException("sidecar lacks '" + field + "'");
        }
        return v;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static Vocabulary vocabulary(JsonNode node) throws IOException {
        return new Vocabulary(required(node, "pad_id").asInt(), required(node, "oov_id").asInt(),
                required(node, "none_id").asInt(), required(node, "first_id").asInt(), strings(required(node, "vocab")));
    }
}
