package io.intentstream.trigger;

import io.intentstream.intent.TriggerType;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic trigger ids: reprocessing the same events yields the same id, so consumers dedupe. */
public final class TriggerIds {
    private TriggerIds() {}

    public static String of(String userId, TriggerType type, String eventId) {
        String key = userId.length() + ":" + userId + "|" + type.name() + "|" + eventId;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
