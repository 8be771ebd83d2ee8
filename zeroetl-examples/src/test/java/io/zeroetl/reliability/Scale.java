package io.zeroetl.reliability;

/**
 * The quick version of the suite (the default build, CI) or the long one ({@code -Dzeroetl.reliability=long},
 * which the {@code reliability} profile sets).
 */
final class Scale {
    static final boolean LONG = "long".equals(System.getProperty("zeroetl.reliability"));

    private Scale() {}

    /** {@code quick} in the default build, {@code full} in the long version. */
    static int of(int quick, int full) {
        return LONG ? full : quick;
    }

    static String name() {
        return LONG ? "long" : "quick";
    }
}
