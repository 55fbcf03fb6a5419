package io.intentstream.model;

import io.intentstream.sequence.BehaviorEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Raw events to model steps, driven entirely by the sidecar (the Java twin of
 * {@code model-export/intent_model/features.py}; {@code RawEventFixturesTest} keeps the two identical).
 */
public final class FeatureMapper {
    private static final Pattern TOKEN_SPLIT = Pattern.compile("[^a-z0-9]+");

    private final ModelSidecar sidecar;
    private final Map<String, Integer> itemIndex;
    private final Map<String, Integer> categoryIndex;
    private final Map<String, Integer> termCategory = new HashMap<>();
    private final int[] actionIds;

    public FeatureMapper(ModelSidecar sidecar) {
        this.sidecar = sidecar;
        this.itemIndex = index(sidecar.items());
        this.categoryIndex = index(sidecar.categories());
        sidecar.termCategories().forEach((term, cat) -> {
            Integer id = categoryIndex.get(cat);
            if (id != null) {
                termCategory.put(term, id);
            }
        });
        io.intentstream.sequence.StepAction[] steps = io.intentstream.sequence.StepAction.values();
        actionIds = new int[steps.length];
        for (io.intentstream.sequence.StepAction a : steps) {
            actionIds[a.ordinal()] = sidecar.actionId(a.name());
        }
    }

    private static Map<String, Integer> index(ModelSidecar.Vocabulary v) {
        Map<String, Integer> m = new HashMap<>(v.vocab().size() * 2);
        for (int i = 0; i < v.vocab().size(); i++) {
            m.putIfAbsent(v.vocab().get(i), v.firstId() + i);
        }
        return m;
    }

    public int itemId(String itemId) {
        ModelSidecar.Vocabulary v = sidecar.items();
        return itemId == null ? v.noneId() : itemIndex.getOrDefault(itemId, v.oovId());
    }

    public int categoryId(String categoryId) {
        ModelSidecar.Vocabulary v = sidecar.categories();
        return categoryId == null ? v.noneId() : categoryIndex.getOrDefault(categoryId, v.oovId());
    }

    /** Id of the first bound b with gap < b, offset by 2; gaps beyond the last bound share one id. */
    public int gapBucket(long gapMs) {
        long[] bounds = sidecar.gapUpperBoundsMs();
        int lo = 0;
        int hi = bounds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (gapMs < bounds[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return 2 + lo;
    }

    /** Most matching query tokens wins; ties go to the smallest category id; no match → none. */
    public int searchCategory(String query, String categoryFilter) {
        if (categoryFilter != null) {
            return categoryId(categoryFilter);
        }
        Map<Integer, Integer> votes = new HashMap<>();
        if (query != null) {
            for (String token : TOKEN_SPLIT.split(query.toLowerCase(Locale.ROOT))) {
                Integer cat = token.isEmpty() ? null : termCategory.get(token);
                if (cat != null) {
                    votes.merge(cat, 1, Integer::sum);
                }
            }
        }
        int best = sidecar.categories().noneId();
        int bestVotes = 0;
        for (Map.Entry<Integer, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes || (e.getValue() == bestVotes && e.getKey() < best)) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        return best;
    }

    /**
     * Newest {@code max_seq_len} events (already ordered and deduplicated) → unpadded input. The
     * first step of the window gets the first-event gap bucket: with the receptive field within
     * the stored events (checked by the sidecar), no score or cache depends on that step's gap.
     */
    public ModelInput window(List<BehaviorEvent> ordered) {
        int from = Math.max(0, ordered.size() - sidecar.maxSeqLen());
        int n = ordered.size() - from;
        long[] a = new long[n];
        long[] it = new long[n];
        long[] c = new long[n];
        long[] g = new long[n];
        long[] t = new long[n];
        float[] p = new float[n];
        int none = sidecar.items().noneId();
        int noneCategory = sidecar.categories().noneId();
        for (int i = 0; i < n; i++) {
            BehaviorEvent e = ordered.get(from + i);
            a[i] = actionIds[e.action().ordinal()];
            switch (e.action()) {
                case SEARCH -> {
                    it[i] = none;
                    c[i] = searchCategory(e.query(), e.categoryId());
                }
                case CHECKOUT -> {
                    it[i] = none;
                    c[i] = noneCategory;
                }
                default -> {
                    it[i] = itemId(e.itemId());
                    c[i] = categoryId(e.categoryId());
                }
            }
            g[i] = i == 0 ? sidecar.gapFirstEventId()
                    : gapBucket(e.timeMs() - ordered.get(from + i - 1).timeMs());
            t[i] = e.timeMs();
            p[i] = e.price();
        }
        return new ModelInput(a, it, c, g, t, p);
    }

    /**
     * True when some step carries an item or a category the model knows. The next-item scores
     * read the newest known category even when its item is new (a search's too), so such a
     * window's top-K is that category's, not the popularity order; without either it says nothing
     * personal.
     */
    public boolean isPersonal(ModelInput input) {
        return anyAtLeast(input.itemIds(), sidecar.items().firstId())
                || anyAtLeast(input.categoryIds(), sidecar.categories().firstId());
    }

    private static boolean anyAtLeast(long[] ids, int first) {
        for (long id : ids) {
            if (id >= first) {
                return true;
            }
        }
        return false;
    }

    /** Vocabulary item id back to the catalog id, or null for special ids. */
    public String itemName(long id) {
        int idx = (int) id - sidecar.items().firstId();
        return idx >= 0 && idx < sidecar.items().vocab().size() ? sidecar.items().vocab().get(idx) : null;
    }

    public ModelSidecar sidecar() {
        return sidecar;
    }
}
