package io.zeroetl.reliability;

/** Generated text for a LATIN1 database: every character LATIN1 cannot hold becomes one it can (ä). */
final class Latin1 {
    private Latin1() {}

    static String squeeze(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> sb.append(cp <= 0xFF ? Character.toString(cp) : "ä"));
        return sb.toString();
    }
}
