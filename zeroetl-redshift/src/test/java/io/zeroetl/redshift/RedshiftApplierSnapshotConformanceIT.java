package io.zeroetl.redshift;

import io.zeroetl.testing.RedshiftEmulator;

/** The SPI's conformance kit under SNAPSHOT isolation, the default on current clusters (c_serial_isolation). */
class RedshiftApplierSnapshotConformanceIT extends RedshiftApplierConformanceIT {
    @Override
    RedshiftEmulator.Builder emulator() {
        return RedshiftEmulator.builder().isolation(RedshiftEmulator.Isolation.SNAPSHOT);
    }
}
