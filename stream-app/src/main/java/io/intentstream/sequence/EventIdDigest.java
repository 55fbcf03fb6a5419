package io.intentstream.sequence;

/**
 * The 64-bit digest a {@link BehaviorSequence} keeps of each id evicted from its window. Evicted
 * ids are only ever compared (a replayed old event must still be recognised), so 8 bytes do what
 * the id did: a 36-character UUID took 37 bytes in every changelog record of the sequence, 50 of
 * them per full sequence.
 *
 * <p>FNV-1a over the UTF-16 chars, then the splitmix64 finaliser (FNV alone mixes similar ids
 * poorly into the high bits). Two ids of equal length that differ in one char never collide (each
 * step is a bijection of the state); any other pair of distinct ids collides with probability
 * about 2^-64, so a new event is mistaken for one of a shopper's ≤ 50 evicted ids with
 * probability ~3·10^-18. A crafted colliding id can only suppress an event of its own shopper.
 */
public final class EventIdDigest {
    private EventIdDigest() {}

    public static long of(String eventId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < eventId.length(); i++) {
            h ^= eventId.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }
}
