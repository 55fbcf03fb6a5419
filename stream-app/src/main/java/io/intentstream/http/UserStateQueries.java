package io.intentstream.http;

/** The per-user read side the HTTP surface serves: latest intent score and recommendations. */
public interface UserStateQueries {
    /**
     * @param localOnly true when another instance forwarded the request here: answer from local
     *                  stores only, never forward again (prevents forwarding loops mid-rebalance)
     */
    Lookup latestScore(String userId, boolean localOnly);

    Lookup latestRecommendation(String userId, boolean localOnly);
}
