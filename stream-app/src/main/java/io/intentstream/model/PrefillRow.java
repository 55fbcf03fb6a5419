package io.intentstream.model;

/** One cold user: their stored events as model steps (oldest first) and the newest event's aggregates. */
public record PrefillRow(ModelInput input, float[] aggregates) {}
