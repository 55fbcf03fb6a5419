package io.intentstream.config;

/** Native memory of the RocksDB state stores, shared by all stores of the process ({@code state.rocksdb.*}). */
public record StateSettings(long rocksdbCacheBytes, long rocksdbMemtableBytes) {
    public static final String ROCKSDB_CACHE_BYTES = "state.rocksdb.cache.bytes";
    public static final String ROCKSDB_MEMTABLE_BYTES = "state.rocksdb.memtable.bytes";

    static StateSettings read(SettingsReader r) {
        long cache = r.positiveLong(ROCKSDB_CACHE_BYTES);
        long memtables = r.positiveLong(ROCKSDB_MEMTABLE_BYTES);
        if (memtables > cache) {
            // Memtables are charged to the shared block cache.
            throw new IllegalArgumentException(ROCKSDB_MEMTABLE_BYTES + " must be <= " + ROCKSDB_CACHE_BYTES + ", got "
                    + memtables + " > " + cache);
        }
        return new StateSettings(cache, memtables);
    }
}
