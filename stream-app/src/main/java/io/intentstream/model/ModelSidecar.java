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
 * The model's sidecar ({@code intent-model.json}), the single source of truth for feature mapping.
 * Every id, vocabulary, bucket bound and tensor name used at serving time comes from here.
 */
public record ModelSidecar(
        int formatVersion, String modelVersion, int maxSeqLen, int topK,
        Map<String, String> inputs, Map<String, String> outputs,
        List<String> actions, List<String> nextActions,
        Vocabulary items, Vocabulary categories,
        int gapPadId, int gapFirstEventId, long[] gapUpperBoundsMs,
        Map<String, String> termCategories, List<String> popularItems) {

    /** A vocabulary: special ids plus {@code vocab[i]} having id {@code firstId + i}. */
    public record Vocabulary(int padId, int oovId, int noneId, int firstId, List<String> vocab) {
        public int size() {
            return firstId + vocab.size();
        }
    }

    public static ModelSidecar parse(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        int format = required(root, "format_version").asInt();
        if (format != 1) {
            throw new IOException("unsupported sidecar format_version " + format + " (this build reads 1)");
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
        JsonNode search = root.path("search").path("term_categories");
        search.properties().forEach(e -> terms.put(e.getKey(), e.getValue().asText()));
        ModelSidecar s = new ModelSidecar(format, required(root, "model_version").asText(),
                required(root, "max_seq_len").asInt(), required(root, "top_k").asInt(),
                names(required(root, "inputs"), ModelSignature.inputKeys()),
                names(required(root, "outputs"), ModelSignature.outputKeys()),
                strings(required(root, "actions")), strings(required(root, "next_actions")),
                vocabulary(required(root, "items")), vocabulary(required(root, "categories")),
                required(gaps, "pad_id").asInt(), required(gaps, "first_event_id").asInt(), bounds,
                terms, strings(root.path("popular_items")));
        if (s.maxSeqLen < 1 || s.topK < 1) {
            throw new IOException("max_seq_len and top_k must be >= 1");
        }
        return s;
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

    private static Map<String, String> names(JsonNode node, List<String> keys) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, required(node, k).asText());
        }
        return Map.copyOf(m);
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
