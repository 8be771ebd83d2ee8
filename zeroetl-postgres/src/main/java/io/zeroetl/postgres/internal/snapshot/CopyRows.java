package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.change.Row;
import io.zeroetl.change.UnreadableValue;
import io.zeroetl.postgres.internal.types.Utf8Text;

/**
 * Turns one row of {@code COPY ... TO STDOUT} text output into the row's values: fields split at tabs,
 * {@code \N} is NULL, backslash escapes undone, each field decoded by its column's type. The values are the
 * types' text output, the same pgoutput sends, so copied and streamed rows decode alike. A field that does
 * not decode becomes an {@link UnreadableValue}, left to the target's value policy.
 */
final class CopyRows {
    private CopyRows() {}

    static Row row(CopyTable table, byte[] row) {
        int columns = table.decoders.length;
        Object[] values = new Object[columns];
        int end = row.length;
        if (end > 0 && row[end - 1] == '\n') {
            end--;
        }
        byte[] field = new byte[end];
        int pos = 0;
        for (int i = 0; i < columns; i++) {
            int start = pos;
            while (pos < end && row[pos] != '\t') {
                pos++;
            }
            if (pos - start == 2 && row[start] == '\\' && row[start + 1] == 'N') {
                values[i] = null;
            } else {
                int length = unescape(row, start, pos, field);
                String text = Utf8Text.decode(field, 0, length);
                if (Utf8Text.malformed(text, field, 0, length)) {
                    values[i] = new UnreadableValue(
                            text, Utf8Text.reason(table.schema.columns().get(i).name()));
                    pos++;
                    continue;
                }
                try {
                    values[i] = table.decoders[i].decode(text);
                } catch (RuntimeException e) {
                    values[i] = new UnreadableValue(
                            text,
                            "column " + table.schema.columns().get(i).name() + " ("
                                    + table.schema.columns().get(i).type().name() + ") did not decode: "
                                    + e.getMessage());
                }
            }
            pos++;
        }
        return Row.of(values);
    }

    /** Undoes COPY text escapes of {@code in[from, to)} into {@code out}; returns the length. */
    static int unescape(byte[] in, int from, int to, byte[] out) {
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = in[i];
            if (c != '\\' || i + 1 >= to) {
                out[n++] = c;
                continue;
            }
            byte e = in[++i];
            switch (e) {
                case 'b':
                    out[n++] = '\b';
                    break;
                case 'f':
                    out[n++] = '\f';
                    break;
                case 'n':
                    out[n++] = '\n';
                    break;
                case 'r':
                    out[n++] = '\r';
                    break;
                case 't':
                    out[n++] = '\t';
                    break;
                case 'v':
                    out[n++] = 11;
                    break;
                case 'x': {
                    int v = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < to && Character.digit(in[i + 1], 16) >= 0) {
                        v = v * 16 + Character.digit(in[++i], 16);
                        digits++;
                    }
                    out[n++] = (byte) v;
                    break;
                }
                default:
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        int digits = 1;
                        while (digits < 3 && i + 1 < to && in[i + 1] >= '0' && in[i + 1] <= '7') {
                            v = v * 8 + in[++i] - '0';
                            digits++;
                        }
                        out[n++] = (byte) v;
                    } else {
                        out[n++] = e;
                    }
            }
        }
        return n;
    }
}
