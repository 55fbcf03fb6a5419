package io.intentstream.model;

/**
 * One user whose recommendation is due: the newest event's hidden state (from prefill or step),
 * its aggregates, and the stored window's model steps, of which the newest receptive-field steps
 * are read.
 */
public record RecommendRow(float[] hidden, float[] aggregates, ModelInput window) {}
