package io.zeroetl.testing.internal.redshift;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the records of one data file in a COPY format, as Redshift's COPY documents it
 * (copy-parameters-data-format): CSV with a quote character, where a quoted field may hold delimiters and
 * line breaks and white space between a delimiter and a quote is ignored; delimited text, where ESCAPE makes
 * a backslash take the next character literally and REMOVEQUOTES drops surrounding quotes; JSON 'auto', one
 * object per record, keys matched to column names. These are Redshift's own dialects (neither RFC 4180 nor
 * PostgreSQL's), which is why they are read here rather than by a general CSV library. Each record comes
 * with the line it starts on, as STL_LOAD_ERRORS reports it.
 */
final class CopyRecords {
    /**
     * Receives each record: its first line, its fields (raw text, before NULL AS and friends) and its raw text
     * (up to 1,024 characters, for STL_LOAD_ERRORS: read it, if at all, before returning).
     */
    interface Sink {
        void record(long line, List<String> fields, CharSequence rawLine);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CopyRecords() {}

    /** Reads every record of {@code in}. */
    static void read(Reader in, CopyCommand c, List<String> columns, Sink sink) throws IOException {
        switch (c.format) {
            case CSV -> csv(in, c, sink);
            case TEXT -> text(in, c, sink);
            case JSON -> json(in, c, columns, sink);
            default -> throw new IllegalStateException(c.format.toString());
        }
    }

    /** A reader's characters one at a time from a buffer of its own (a Reader's read() costs a lock each). */
    private static final class Chars {
        private final Reader in;
        private final char[] buffer = new char[1 << 16];
        private int pos;
        private int end;

        Chars(Reader in) {
            this.in = in;
        }

        int next() throws IOException {
            if (pos == end && !fill()) {
                return -1;
            }
            return buffer[pos++];
        }

        int peek() throws IOException {
            if (pos == end && !fill()) {
                return -1;
            }
            return buffer[pos];
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            end = n;
            return true;
        }
    }

    /** "The maximum size of a single input row from any source is 4 MB" (copy-parameters-data-source). */
    static final int MAX_ROW_BYTES = 4 * 1024 * 1024;

    /** The UTF-8 bytes of {@code x} (a surrogate counts half of its pair's four). */
    private static int bytes(char x) {
        return x < 0x80 ? 1 : x < 0x800 || Character.isSurrogate(x) ? 2 : 3;
    }

    private static void checkRowSize(long size, long line, StringBuilder raw) {
        if (size > MAX_ROW_BYTES) {
            throw new CopyFailure(
                    line,
                    null,
                    raw.toString(),
                    1216,
                    "Input row of " + size + " bytes exceeds the"
                            + " maximum row size of 4 MB (copy-parameters-data-source)");
        }
    }

    private static void csv(Reader reader, CopyCommand c, Sink sink) throws IOException {
        Chars in = new Chars(reader);
        long line = 1;
        long size = 0;
        int skip = c.ignoreHeader;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        StringBuilder raw = new StringBuilder();
        long recordLine = line;
        boolean quoted = false;
        boolean wasQuoted = false;
        boolean any = false;
        int ch;
        while ((ch = in.next()) != -1) {
            char x = (char) ch;
            if (raw.length() < 1024) {
                raw.append(x);
            }
            size += bytes(x);
            checkRowSize(size, recordLine, raw);
            if (quoted) {
                if (x == c.quote) {
                    if (in.peek() == c.quote) {
                        in.next();
                        field.append(c.quote);
                        continue;
                    }
                    quoted = false;
                } else {
                    if (x == '\n') {
                        line++;
                    }
                    field.append(x);
                }
                continue;
            }
            any = true;
            if (x == c.quote && field.toString().isBlank() && !wasQuoted) {
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else if (x == c.delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (x == '\n' || x == '\r') {
                if (x == '\r' && in.peek() == '\n') {
                    in.next();
                }
                fields.add(field.toString());
                emit(sink, recordLine, fields, raw, c, skip-- > 0);
                line++;
                recordLine = line;
                fields = new ArrayList<>();
                field.setLength(0);
                raw.setLength(0);
                size = 0;
                wasQuoted = false;
                any = false;
            } else if (wasQuoted) {
                if (!Character.isWhitespace(x)) {
                    throw new CopyFailure(
                            recordLine, null, raw.toString(), 1214, "Delimiter not found after a" + " quoted field");
                }
            } else {
                field.append(x);
            }
        }
        if (quoted) {
            throw new CopyFailure(recordLine, null, raw.toString(), 1214, "Unterminated quoted field");
        }
        if (any || !fields.isEmpty()) {
            fields.add(field.toString());
            emit(sink, recordLine, fields, raw, c, skip > 0);
        }
    }

    private static void text(Reader reader, CopyCommand c, Sink sink) throws IOException {
        Chars in = new Chars(reader);
        long line = 1;
        long size = 0;
        int skip = c.ignoreHeader;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        StringBuilder raw = new StringBuilder();
        long recordLine = line;
        boolean any = false;
        int ch;
        while ((ch = in.next()) != -1) {
            char x = (char) ch;
            if (raw.length() < 1024) {
                raw.append(x);
            }
            size += bytes(x);
            checkRowSize(size, recordLine, raw);
            if (c.escape && x == '\\') {
                int next = in.next();
                if (next == -1) {
                    break;
                }
                if (next == '\n') {
                    line++;
                }
                field.append((char) next);
                any = true;
            } else if (x == c.delimiter) {
                fields.add(unquote(field.toString(), c));
                field.setLength(0);
                any = true;
            } else if (x == '\n') {
                fields.add(unquote(field.toString(), c));
                emit(sink, recordLine, fields, raw, c, skip-- > 0);
                line++;
                recordLine = line;
                fields = new ArrayList<>();
                field.setLength(0);
                raw.setLength(0);
                size = 0;
                any = false;
            } else {
                field.append(x);
                any = true;
            }
        }
        if (any || !fields.isEmpty()) {
            fields.add(unquote(field.toString(), c));
            emit(sink, recordLine, fields, raw, c, skip > 0);
        }
    }

    private static String unquote(String field, CopyCommand c) {
        if (c.removeQuotes
                && field.length() >= 2
                && (field.startsWith("\"") && field.endsWith("\"") || field.startsWith("'") && field.endsWith("'"))) {
            return field.substring(1, field.length() - 1);
        }
        return field;
    }

    private static void emit(
            Sink sink, long line, List<String> fields, StringBuilder raw, CopyCommand c, boolean header) {
        if (header) {
            return;
        }
        if (c.ignoreBlankLines && fields.size() == 1 && fields.get(0).isEmpty()) {
            return;
        }
        // most records load: their raw text is made into a string only when one fails
        sink.record(line, fields, raw);
    }

    /** JSON 'auto': each top-level object is a record; its keys name columns (lower case unless 'ignorecase'). */
    private static void json(Reader in, CopyCommand c, List<String> columns, Sink sink) throws IOException {
        boolean ignoreCase = c.jsonOption.toLowerCase(Locale.ROOT).contains("ignorecase");
        try (JsonParser p = JSON.getFactory().createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                long line = p.currentLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) {
                    throw new CopyFailure(line, null, "", 1224, "Invalid JSON: each record must be an object");
                }
                JsonNode object = JSON.readTree(p);
                List<String> fields = new ArrayList<>();
                for (String column : columns) {
                    JsonNode v = null;
                    for (Map.Entry<String, JsonNode> e : object.properties()) {
                        if (ignoreCase
                                ? e.getKey().equalsIgnoreCase(column)
                                : e.getKey().equals(column)) {
                            v = e.getValue();
                        }
                    }
                    // the value as JSON text: a SUPER column takes it whole, others unwrap a string
                    fields.add(v == null || v.isNull() ? null : JSON.writeValueAsString(v));
                }
                sink.record(
                        line,
                        fields,
                        object.toString().length() > 1024 ? object.toString().substring(0, 1024) : object.toString());
            }
        } catch (JsonProcessingException e) {
            throw new CopyFailure(
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    null,
                    "",
                    1224,
                    "Invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** A record the load cannot take: where, and why (Redshift's error code and reason). */
    static final class CopyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long line;
        final String column;
        final String raw;
        final int code;

        CopyFailure(long line, String column, String raw, int code, String reason) {
            super(reason, null, false, false);
            this.line = line;
            this.column = column;
            this.raw = raw;
            this.code = code;
        }
    }
}
