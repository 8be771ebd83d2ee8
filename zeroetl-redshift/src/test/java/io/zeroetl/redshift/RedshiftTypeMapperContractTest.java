package io.zeroetl.redshift;

import io.zeroetl.conformance.TypeMapperContract;
import io.zeroetl.spi.TypeMapper;

/** The default Redshift mapper passes the SPI's type mapper contract. */
class RedshiftTypeMapperContractTest extends TypeMapperContract {
    @Override
    protected TypeMapper mapper() {
        return RedshiftTypeMapper.DEFAULT;
    }
}
