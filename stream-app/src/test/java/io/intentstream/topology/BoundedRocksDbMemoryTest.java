package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {
    static {
        RocksDB.loadLibrary();
    }

    @Test
    void everyStoreSharesOneCacheAndOneWriteBufferManager() {
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        Map<String, Object> config = Map.of(BoundedRocksDbMemory.CACHE_BYTES_CONFIG, String.valueOf(64L << 20),
                BoundedRocksDbMemory.MEMTABLE_BYTES_CONFIG, String.valueOf(16L << 20));
        try (Options a = new Options(); Options b = new Options()) {
            a.setTableFormatConfig(new BlockBasedTableConfig());
            b.setTableFormatConfig(new BlockBasedTableConfig());
            setter.setConfig("sequences", a, config);
            setter.setConfig("latest-scores", b, config);

            assertThat(a.writeBufferManager()).isNotNull().isSameAs(b.writeBufferManager())
                    .isSameAs(BoundedRocksDbMemory.shared(config).writeBuffers());
            BlockBasedTableConfig table = (BlockBasedTableConfig) a.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
            assertThat(a.maxWriteBufferNumber()).isEqualTo(BoundedRocksDbMemory.MEMTABLES_PER_STORE);
            assertThat(a.writeBufferSize()).isEqualTo(BoundedRocksDbMemory.MEMTABLE_SIZE);
            setter.close("sequences", a);
            // Closing one store's options leaves the shared objects usable by the others.
            assertThat(BoundedRocksDbMemory.shared(config).cache().isOwningHandle()).isTrue();
        }
    }
}
