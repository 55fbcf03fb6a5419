package io.intentstream.sequence;

import io.intentstream.bytes.ByteSink;
import io.intentstream.bytes.ByteSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of {@link BehaviorSequence} for RocksDB and its changelog. A leading format
 * byte lets a later release read old state; event times are delta-encoded varints so a 50-event
 * window costs roughly 50 × (id + 3) bytes instead of a JSON document several times larger.
 *
 * <pre>
 * v6 := 0x06 session:str? lastSeen:svar legacy:u8 (armed:u8 lastHighIntentAt:svar, when legacy = 1) currency:str
 *       events:count (as v4) evicted:count fixed64* cart... (the rest as v4)
 * v5 := 0x05 session:str? lastSeen:svar currency:str ... (the rest as v4)
 * v4 := 0x04 session:str? lastSeen:svar flags:u8 lastHighIntentAt:svar currency:str
 *       events:count (eventId:str timeDelta:svar action:u8 item:str? category:str? query:str? price:f32)*
 *       evicted:count str* cart:count (item:str qty:uvar scale:uvar unscaled:bytes)* bought:count str*
 *       accepted:uvar lastRecordTs:svar abandonmentCheckedAt:svar
 * v3 := 0x03 ..., v4 with lastProb:f64 after lastHighIntentAt (ignored: the latest score holds it)
 *       and pendingRecordTs:svar for accepted and lastRecordTs (pending reads as accepted = 1,
 *       which exceeds the scoredThrough 0 of latest outputs written before v4)
 * v2 := 0x02 ..., v3 without pendingRecordTs and abandonmentCheckedAt (read as none)
 * v1 := 0x01 ..., v2 without the events' price (read as 0)
 * str := uvar(len) utf8 ; str? := uvar(len+1) utf8 | 0 for null ; fixed64 := 8 bytes big-endian
 * </pre>
 *
 * <p>v6 keeps an evicted id as its {@link EventIdDigest} (8 bytes) instead of the id: a full
 * sequence is rewritten, and sent to the changelog, at every event of its shopper, and its 50
 * evicted ids were 990 of its 3,453 bytes ({@code StateSizeTest}'s shopper, 19-character ids).
 * Older formats' evicted ids are digested on read.
 *
 * <p>v4 and older carry the high-intent trigger state (flags bit 0 = armed), which now lives with
 * the latest outputs. A sequence read with a state other than the initial one (armed, never
 * fired) keeps it as its legacy trigger state, written in v6's legacy field, until the shopper's
 * next score moves the state to the outputs store, in the same transaction, so no crash can lose
 * it. This release writes v6 only.
 */
public final class BehaviorSequenceCodec {
    public static final byte FORMAT_V1 = 1;
    public static final byte FORMAT_V2 = 2;
    public static final byte FORMAT_V3 = 3;
    public static final byte FORMAT_V4 = 4;
    public static final byte FORMAT_V5 = 5;
    public static final byte FORMAT_V6 = 6;
    private static final int MAX_COUNT = 100_000;
    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_UNSCALED_BYTES = 64;

    private BehaviorSequenceCodec() {}

    /**
     * Encodes within the limits {@link #decode} enforces and throws {@link SerializationException}
     * beyond them: a value written to the store and changelog must always read back, or the user's
     * state (and every restore of it) would fail from then on.
     */
    public static byte[] encode(BehaviorSequence s) {
        ByteSink out = new ByteSink(64 + s.events.size() * 48);
        LegacyTrigger legacy = s.legacyTrigger;
        out.writeByte(FORMAT_V6);
        writeNullable(out, s.sessionId);
        out.writeSigned(s.lastSeenMs);
        out.writeByte(legacy != null ? 1 : 0);
        if (legacy != null) {
            out.writeByte(legacy.armed() ? 1 : 0);
            out.writeSigned(legacy.firedAtMs());
        }
        writeString(out, s.currency);
        writeCount(out, s.events.size(), "events");
        long previous = 0;
        for (BehaviorEvent e : s.events) {
            writeString(out, e.eventId());
            out.writeSigned(e.timeMs() - previous);
            previous = e.timeMs();
            out.writeByte(e.action().ordinal());
            writeNullable(out, e.itemId());
            writeNullable(out, e.categoryId());
            writeNullable(out, e.query());
            out.writeFloat(e.price());
        }
        writeCount(out, s.evictedIds.size(), "evicted ids");
        for (long digest : s.evictedIds) {
            out.writeFixed64(digest);
        }
        writeCount(out, s.cart.size(), "cart lines");
        for (CartItem line : s.cart.values()) {
            writeString(out, line.itemId());
            out.writeUnsigned(line.quantity());
            out.writeUnsigned(line.unitPrice().scale());
            byte[] unscaled = line.unitPrice().unscaledValue().toByteArray();
            if (unscaled.length > MAX_UNSCALED_BYTES) {
                throw new SerializationException("unit price of cart item " + line.itemId() + " takes "
                        + unscaled.length + " bytes, more than the " + MAX_UNSCALED_BYTES + " a behaviour sequence holds");
            }
            out.writeUnsigned(unscaled.length);
            out.write(unscaled);
        }
        writeCount(out, s.purchasedInSession.size(), "purchased items");
        for (String id : s.purchasedInSession) {
            writeString(out, id);
        }
        out.writeUnsigned(s.accepted);
        out.writeSigned(s.lastRecordTs);
        out.writeSigned(s.abandonmentCheckedAtMs);
        return out.toByteArray();
    }

    public static BehaviorSequence decode(byte[] data) {
        if (data == null || data.length == 0) {
            throw new SerializationException("empty behaviour sequence");
        }
        try {
            ByteSource in = new ByteSource(data);
            int version = in.readByte();
            if (version < FORMAT_V1 || version > FORMAT_V6) {
                throw new SerializationException("unknown behaviour sequence format " + version);
            }
            BehaviorSequence s = new BehaviorSequence();
            s.sessionId = readNullable(in);
            s.lastSeenMs = in.readSigned();
            if (version <= FORMAT_V4 || version == FORMAT_V6 && readFlag(in)) {
                boolean armed = (in.readByte() & 1) != 0;
                long firedAt = in.readSigned();
                // Armed and never fired is the initial state: nothing to carry over.
                s.legacyTrigger = armed && firedAt == Long.MIN_VALUE ? null : new LegacyTrigger(armed, firedAt);
            }
            if (version <= FORMAT_V3) {
                in.skipDouble(); // v3's last purchase probability: the latest score holds it now
            }
            s.currency = readString(in);
            int n = in.readCount(MAX_COUNT);
            long previous = 0;
            for (int i = 0; i < n; i++) {
                String id = readString(in);
                long time = previous + in.readSigned();
                previous = time;
                StepAction action = StepAction.fromCode(in.readUnsignedByte());
                String item = readNullable(in);
                String category = readNullable(in);
                String query = readNullable(in);
                float price = version >= FORMAT_V2 ? in.readFloat() : 0f;
                s.events.add(new BehaviorEvent(id, time, action, item, category, query, price));
            }
            n = in.readCount(MAX_COUNT);
            for (int i = 0; i < n; i++) {
                s.evictedIds.addLast(version >= FORMAT_V6 ? in.readFixed64() : EventIdDigest.of(readString(in)));
            }
            n = in.readCount(MAX_COUNT);
            for (int i = 0; i < n; i++) {
                String item = readString(in);
                int qty = (int) in.readUnsigned();
                int scale = (int) in.readUnsigned();
                byte[] unscaled = in.readBytes(in.readCount(MAX_UNSCALED_BYTES));
                s.cart.put(item, new CartItem(item, qty, new BigDecimal(new BigInteger(unscaled), scale)));
            }
            n = in.readCount(MAX_COUNT);
            for (int i = 0; i < n; i++) {
                s.purchasedInSession.add(readString(in));
            }
            if (version >= FORMAT_V4) {
                s.accepted = in.readUnsigned();
                s.lastRecordTs = in.readSigned();
            } else if (version == FORMAT_V3) {
                s.lastRecordTs = in.readSigned();
                s.accepted = s.lastRecordTs != BehaviorSequence.NONE ? 1 : 0;
            }
            if (version >= FORMAT_V3) {
                s.abandonmentCheckedAtMs = in.readSigned();
            }
            if (in.remaining() > 0) {
                throw new SerializationException("trailing bytes after behaviour sequence");
            }
            return s;
        } catch (IllegalArgumentException e) {
            throw new SerializationException("corrupt behaviour sequence: " + e.getMessage(), e);
        }
    }

    public static Serde<BehaviorSequence> serde() {
        Serializer<BehaviorSequence> ser = (topic, s) -> s == null ? null : encode(s);
        Deserializer<BehaviorSequence> de = (topic, b) -> b == null ? null : decode(b);
        return Serdes.serdeFrom(ser, de);
    }

    private static boolean readFlag(ByteSource in) {
        int b = in.readUnsignedByte();
        if (b > 1) {
            throw new IllegalArgumentException("flag byte " + b);
        }
        return b == 1;
    }

    private static void writeCount(ByteSink out, int n, String what) {
        if (n > MAX_COUNT) {
            throw new SerializationException(n + " " + what + " exceed the " + MAX_COUNT + " a behaviour sequence holds");
        }
        out.writeUnsigned(n);
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING) {
            throw new SerializationException("string of " + b.length + " bytes exceeds the " + MAX_STRING
                    + " a behaviour sequence holds");
        }
        return b;
    }

    private static void writeString(ByteSink out, String s) {
        byte[] b = utf8(s);
        out.writeUnsigned(b.length);
        out.write(b);
    }

    private static void writeNullable(ByteSink out, String s) {
        if (s == null) {
            out.writeUnsigned(0);
            return;
        }
        byte[] b = utf8(s);
        out.writeUnsigned(b.length + 1L);
        out.write(b);
    }

    private static String readString(ByteSource in) {
        return in.readUtf8(in.readCount(MAX_STRING));
    }

    private static String readNullable(ByteSource in) {
        int n = in.readCount(MAX_STRING + 1);
        return n == 0 ? null : in.readUtf8(n - 1);
    }

    /** Used by tests and tools that only need the ids in order. */
    static List<String> eventIds(BehaviorSequence s) {
        return s.events.stream().map(BehaviorEvent::eventId).toList();
    }
}
