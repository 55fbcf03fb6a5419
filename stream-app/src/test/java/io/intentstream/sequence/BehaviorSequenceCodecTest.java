package io.intentstream.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.bytes.ByteSink;
import io.intentstream.trigger.TriggerState;
import java.math.BigDecimal;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class BehaviorSequenceCodecTest {

    private static BehaviorEvent view(String id, long t, String item) {
        return new BehaviorEvent(id, t, StepAction.VIEW, item, "c1", null);
    }

    @Test
    void roundTripsEveryFieldIncludingNullsUnicodeAndCart() {
        BehaviorSequence s = new BehaviorSequence();
        s.add(view("e1", 1_767_600_000_000L, "i1"), "s1", 50);
        s.add(new BehaviorEvent("e2", 1_767_600_000_500L, StepAction.SEARCH, null, null, "röd klänning ✓"), "s1", 50);
        s.add(new BehaviorEvent("e3", 1_767_600_000_400L, StepAction.ADD_TO_CART, "i2", null, null), "s1", 50);
        s.addToCart("i2", 3, new BigDecimal("19.99"), 10_000);
        s.addToCart("big", 1, new BigDecimal("123456789012.50"), 10_000);
        s.checkout(List.of("x"));
        s.addToCart("i3", 1, new BigDecimal("0.00"), 10_000);
        s.lastSeenMs(42);
        LegacySequences.withTrigger(s, false, 7);
        s.accept(1_767_600_000_400L);
        s.accept(1_767_600_000_500L);
        s.currency("EUR");

        BehaviorSequence back = BehaviorSequenceCodec.decode(BehaviorSequenceCodec.encode(s));

        assertThat(back).isEqualTo(s);
        assertThat(back.accepted()).isEqualTo(2);
        assertThat(back.lastRecordTs()).isEqualTo(1_767_600_000_500L);
        assertThat(BehaviorSequenceCodec.eventIds(back)).containsExactly("e1", "e3", "e2");
        assertThat(back.cart().get("i3").unitPrice()).isEqualByComparingTo("0.00");
        assertThat(back.purchasedInSession()).containsExactly("x");
    }

    @Test
    void roundTripsAnEmptySequenceAndNegativeTimes() {
        BehaviorSequence s = new BehaviorSequence();
        s.add(view("old", -5_000L, null), null, 3);
        BehaviorSequence back = BehaviorSequenceCodec.decode(BehaviorSequenceCodec.encode(new BehaviorSequence()));
        assertThat(back).isEqualTo(new BehaviorSequence());
        assertThat(back.accepted()).isZero();
        assertThat(BehaviorSequenceCodec.decode(BehaviorSequenceCodec.encode(s))).isEqualTo(s);
    }

    @Test
    void roundTripsPricesAndReadsStateWrittenBeforePricesWereKept() throws Exception {
        BehaviorSequence s = new BehaviorSequence();
        s.add(new BehaviorEvent("e1", 1_000L, StepAction.VIEW, "i1", "c1", null, 19.99f), "s1", 50);
        s.add(new BehaviorEvent("e2", 2_000L, StepAction.ADD_TO_CART, "i1", "c1", null, 5f), "s1", 50);
        assertThat(BehaviorSequenceCodec.decode(BehaviorSequenceCodec.encode(s)).events())
                .extracting(BehaviorEvent::price).containsExactly(19.99f, 5f);

        // Format 1, as releases before the streaming model wrote it: one event, no price field.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(BehaviorSequenceCodec.FORMAT_V1);
            out.writeByte(0);                          // no session id
            signed(out, 42);              // last seen
            out.writeByte(1);                          // high intent armed
            signed(out, -1);
            out.writeDouble(0.25);
            out.writeByte(3);
            out.writeBytes("USD");
            out.writeByte(1);                          // one event
            out.writeByte(2);
            out.writeBytes("e1");
            signed(out, 1_000);
            out.writeByte(StepAction.VIEW.ordinal());
            out.writeByte(3);
            out.writeBytes("i1");                      // item (length + 1)
            out.writeByte(0);                          // no category
            out.writeByte(0);                          // no query
            out.writeByte(0);                          // evicted ids
            out.writeByte(0);                          // cart lines
            out.writeByte(0);                          // purchased
        }
        BehaviorSequence old = BehaviorSequenceCodec.decode(bytes.toByteArray());
        assertThat(old.events()).containsExactly(new BehaviorEvent("e1", 1_000L, StepAction.VIEW, "i1", null, null, 0f));
        assertThat(old.lastSeenMs()).isEqualTo(42);
    }

    @Test
    void readsFormat3AnOwedScoreAsOneAcceptedEventAndDropsItsStoredProbability() throws Exception {
        for (long pendingTs : new long[] {5_000L, Long.MIN_VALUE}) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
                out.writeByte(BehaviorSequenceCodec.FORMAT_V3);
                out.writeByte(0);                      // no session id
                signed(out, 42);          // last seen
                out.writeByte(1);                      // high intent armed
                signed(out, -1);
                out.writeDouble(0.25);                 // v3's last purchase probability
                out.writeByte(3);
                out.writeBytes("USD");
                out.writeByte(0);                      // events
                out.writeByte(0);                      // evicted ids
                out.writeByte(0);                      // cart lines
                out.writeByte(0);                      // purchased
                signed(out, pendingTs);   // pendingRecordTs (MIN: no score owed)
                signed(out, 42);          // abandonment checked at
            }
            BehaviorSequence old = BehaviorSequenceCodec.decode(bytes.toByteArray());
            // LatestOutputs written before format 4 read as scoredThrough 0: owed exactly when it was pending.
            assertThat(old.accepted()).isEqualTo(pendingTs == Long.MIN_VALUE ? 0 : 1);
            assertThat(old.lastRecordTs()).isEqualTo(pendingTs);
            assertThat(old.abandonmentChecked()).isTrue();
            assertThat(old.lastSeenMs()).isEqualTo(42);
        }
    }

    @Test
    void writesFormat6ByteForByteAsSpecified() throws Exception {
        BehaviorSequence s = specimen(null);
        assertThat(BehaviorSequenceCodec.encode(s)).isEqualTo(layout(BehaviorSequenceCodec.FORMAT_V6, null));
        assertThat(BehaviorSequenceCodec.decode(layout(BehaviorSequenceCodec.FORMAT_V6, null))).isEqualTo(s);
    }

    @Test
    void keepsALegacyTriggerStateInFormat6UntilTheNextScoreMovesIt() throws Exception {
        TriggerState legacy = new TriggerState(false, 7);
        BehaviorSequence s = specimen(legacy);
        assertThat(BehaviorSequenceCodec.encode(s)).isEqualTo(layout(BehaviorSequenceCodec.FORMAT_V6, legacy));
        BehaviorSequence back = BehaviorSequenceCodec.decode(BehaviorSequenceCodec.encode(s));
        assertThat(back.legacyTrigger()).isEqualTo(new LegacyTrigger(false, 7));
        assertThat(back.dropLegacyTrigger()).isTrue();
        assertThat(BehaviorSequenceCodec.decode(BehaviorSequenceCodec.encode(back)).legacyTrigger()).isNull();
    }

    @Test
    void readsFormats4And5WithTheirEvictedIdsAsDigestsSoAReplayedEvictedEventIsStillADuplicate() throws Exception {
        BehaviorSequence v5 = BehaviorSequenceCodec.decode(layout(BehaviorSequenceCodec.FORMAT_V5, null));
        assertThat(v5).isEqualTo(specimen(null));
        TriggerState legacy = new TriggerState(false, 7);
        assertThat(BehaviorSequenceCodec.decode(layout(BehaviorSequenceCodec.FORMAT_V4, legacy))).isEqualTo(specimen(legacy));
        // e2 was evicted before the upgrade: its replay must not enter the window again.
        assertThat(v5.add(new BehaviorEvent("e2", 900L, StepAction.VIEW, "i0", null, null, 0f), "s1", 2)).isFalse();
        assertThat(BehaviorSequenceCodec.encode(v5)[0]).isEqualTo(BehaviorSequenceCodec.FORMAT_V6);
    }

    @Test
    void aFormat4InitialTriggerStateIsNoLegacyState() throws Exception {
        TriggerState initial = new TriggerState(true, Long.MIN_VALUE); // armed, never fired
        BehaviorSequence back = BehaviorSequenceCodec.decode(layout(BehaviorSequenceCodec.FORMAT_V4, initial));
        assertThat(back.legacyTrigger()).isNull();
        assertThat(BehaviorSequenceCodec.encode(back)).isEqualTo(layout(BehaviorSequenceCodec.FORMAT_V6, null));
    }

    @Test
    void theEvictedIdDigestIsPinnedBecauseStoredStateHoldsIt() {
        // Changing EventIdDigest would let replays of events evicted before the change back in.
        assertThat(EventIdDigest.of("e2")).isEqualTo(0x3cd04d900a2e307bL);
        assertThat(EventIdDigest.of("")).isEqualTo(0xf52a15e9a9b5e89bL);
        assertThat(EventIdDigest.of("e2")).isNotEqualTo(EventIdDigest.of("e3"));
    }

    /** Three events into a window of two (e2 evicted), a checkout, a cart line; the layouts below hold it. */
    private static BehaviorSequence specimen(TriggerState legacy) {
        BehaviorSequence s = new BehaviorSequence();
        s.add(new BehaviorEvent("e2", 900L, StepAction.VIEW, "i0", null, null, 0f), "s1", 2);
        s.add(new BehaviorEvent("e1", 1_000L, StepAction.VIEW, "i1", "c1", null, 2.5f), "s1", 2);
        s.add(new BehaviorEvent("e3", 1_100L, StepAction.SEARCH, null, "c2", "q", 0f), "s1", 2); // evicts e2
        s.checkout(List.of("x"));
        s.addToCart("i1", 2, new BigDecimal("19.99"), 10_000);
        s.lastSeenMs(42);
        if (legacy != null) {
            LegacySequences.withTrigger(s, legacy.armed(), legacy.lastFiredAtMs());
        }
        s.accept(1_000L);
        return s;
    }

    /** The specimen in the layout of the codec's comment (format 4, 5 or 6), written without the codec's own writer. */
    private static byte[] layout(byte format, TriggerState legacy) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(format);
            out.writeByte(3);
            out.writeBytes("s1");                      // session (length + 1)
            zigzag(out, 42);                           // last seen
            if (format == BehaviorSequenceCodec.FORMAT_V6) {
                out.writeByte(legacy == null ? 0 : 1); // legacy trigger state present
            }
            if (format == BehaviorSequenceCodec.FORMAT_V4 || legacy != null) {
                TriggerState state = legacy != null ? legacy : TriggerState.INITIAL; // v4 always holds one
                out.writeByte(state.armed() ? 1 : 0);  // high intent armed
                zigzag(out, state.lastFiredAtMs());    // last fired
            }
            out.writeByte(3);
            out.writeBytes("USD");
            out.writeByte(2);                          // events
            out.writeByte(2);
            out.writeBytes("e1");
            zigzag(out, 1_000);                        // time, from 0
            out.writeByte(StepAction.VIEW.ordinal());
            out.writeByte(3);
            out.writeBytes("i1");
            out.writeByte(3);
            out.writeBytes("c1");
            out.writeByte(0);                          // no query
            out.writeFloat(2.5f);
            out.writeByte(2);
            out.writeBytes("e3");
            zigzag(out, 100);                          // time, from the previous event
            out.writeByte(StepAction.SEARCH.ordinal());
            out.writeByte(0);                          // no item
            out.writeByte(3);
            out.writeBytes("c2");
            out.writeByte(2);
            out.writeBytes("q");
            out.writeFloat(0f);
            out.writeByte(1);                          // evicted ids
            if (format == BehaviorSequenceCodec.FORMAT_V6) {
                out.writeLong(0x3cd04d900a2e307bL);    // the digest of "e2"
            } else {
                out.writeByte(2);
                out.writeBytes("e2");
            }
            out.writeByte(1);                          // cart lines
            out.writeByte(2);
            out.writeBytes("i1");
            out.writeByte(2);                          // quantity
            out.writeByte(2);                          // scale
            out.writeByte(2);                          // unscaled 1999, big-endian two's complement
            out.write(new byte[] {0x07, (byte) 0xCF});
            out.writeByte(1);                          // purchased
            out.writeByte(1);
            out.writeBytes("x");
            out.writeByte(1);                          // accepted
            zigzag(out, 1_000);                        // last record timestamp
            zigzag(out, Long.MIN_VALUE);               // abandonment never checked
        }
        return bytes.toByteArray();
    }

    /** LEB128 of the zig-zag value, written independently of the codec's {@code ByteSink}. */
    private static void zigzag(java.io.DataOutputStream out, long v) throws java.io.IOException {
        long u = (v << 1) ^ (v >> 63);
        while ((u & ~0x7FL) != 0) {
            out.writeByte((int) ((u & 0x7F) | 0x80));
            u >>>= 7;
        }
        out.writeByte((int) u);
    }

    @Test
    void isCompactFarSmallerThanJson() {
        BehaviorSequence s = new BehaviorSequence();
        for (int i = 0; i < 50; i++) {
            s.add(view("evt-" + i, 1_767_600_000_000L + i * 4_000L, "item-" + i), "s1", 50);
        }
        assertThat(BehaviorSequenceCodec.encode(s).length).isLessThan(50 * 30);
    }

    @Test
    void rejectsUnknownFormatTruncatedAndTrailingBytes() {
        BehaviorSequence s = new BehaviorSequence();
        s.add(view("e1", 1L, "i1"), "s1", 5);
        byte[] ok = BehaviorSequenceCodec.encode(s);
        byte[] wrongVersion = ok.clone();
        wrongVersion[0] = 9;
        assertThatThrownBy(() -> BehaviorSequenceCodec.decode(wrongVersion)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format 9");
        assertThatThrownBy(() -> BehaviorSequenceCodec.decode(java.util.Arrays.copyOf(ok, ok.length - 3)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> BehaviorSequenceCodec.decode(java.util.Arrays.copyOf(ok, ok.length + 1)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> BehaviorSequenceCodec.decode(new byte[0])).isInstanceOf(SerializationException.class);
    }

    @Test
    void keepsNewestEventsInEventTimeOrderAndRemembersEvictedIdsForDedup() {
        BehaviorSequence s = new BehaviorSequence();
        s.add(view("a", 10, "i"), "s", 2);
        s.add(view("b", 30, "i"), "s", 2);
        s.add(view("c", 20, "i"), "s", 2);
        assertThat(BehaviorSequenceCodec.eventIds(s)).containsExactly("c", "b");
        assertThat(s.add(view("a", 10, "i"), "s", 2)).isFalse();
        assertThat(s.add(view("b", 99, "i"), "s", 2)).isFalse();
        BehaviorSequence back = BehaviorSequenceCodec.decode(BehaviorSequenceCodec.encode(s));
        assertThat(back.add(view("a", 10, "i"), "s", 2)).isFalse();
    }

    @Test
    void encodeRefusesWhatDecodeWouldRejectSoStoredStateAlwaysReadsBack() {
        BehaviorSequence fits = new BehaviorSequence();
        fits.addToCart("i", 1, new BigDecimal(java.math.BigInteger.ONE.shiftLeft(64 * 8 - 2), 2), 10_000);
        assertThat(BehaviorSequenceCodec.decode(BehaviorSequenceCodec.encode(fits))).isEqualTo(fits);

        BehaviorSequence hugePrice = new BehaviorSequence();
        hugePrice.addToCart("i", 1, new BigDecimal(java.math.BigInteger.ONE.shiftLeft(64 * 8), 2), 10_000);
        assertThatThrownBy(() -> BehaviorSequenceCodec.encode(hugePrice)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("65 bytes");

        BehaviorSequence hugeQuery = new BehaviorSequence();
        hugeQuery.add(new BehaviorEvent("e1", 1L, StepAction.SEARCH, null, null, "q".repeat((1 << 20) + 1)), "s", 5);
        assertThatThrownBy(() -> BehaviorSequenceCodec.encode(hugeQuery)).isInstanceOf(SerializationException.class);
    }

    /** A zig-zag varint into a hand-written old-format record. */
    private static void signed(java.io.DataOutputStream out, long v) throws java.io.IOException {
        ByteSink b = new ByteSink(10);
        b.writeSigned(v);
        out.write(b.toByteArray());
    }
}
