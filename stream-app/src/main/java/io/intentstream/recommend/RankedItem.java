package io.intentstream.recommend;

/** A candidate item with its score; {@code itemId} null for the model's special ids (pad/oov/none). */
public record RankedItem(String itemId, double score) {}
