package io.zeroetl.testing.internal.redshift;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Redshift's {@code COPY table [(columns)] FROM 's3://...' authorization [options]} (r_COPY), parsed and
 * checked against the documented rules: an authorization is required (copy-parameters-authorization), CSV
 * excludes FIXEDWIDTH, REMOVEQUOTES and ESCAPE (copy-parameters-data-format), a manifest must be named with
 * MANIFEST (copy-parameters-data-source-s3). Options the emulator does not model are refused as such.
 */
final class CopyCommand {
    enum Format {
        TEXT,
        CSV,
        JSON
    }

    enum Compression {
        NONE,
        GZIP,
        /** Zstandard: supported only with COPY from Amazon S3 (copy-parameters-file-compression). */
        ZSTD
    }

    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+" + "(,arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+)*");

    List<Token> table = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    String source;
    String iamRole;
    String accessKeyId;
    String secretAccessKey;
    boolean manifest;
    Format format = Format.TEXT;
    char delimiter = '|';
    char quote = '"';
    String jsonOption;
    Compression compression = Compression.NONE;
    String nullAs = "\\N";
    boolean emptyAsNull;
    boolean blanksAsNull;
    boolean trimBlanks;
    boolean escape;
    boolean removeQuotes;
    boolean fillRecord;
    boolean ignoreBlankLines;
    boolean truncateColumns;
    boolean acceptInvChars;
    boolean roundDecimals;
    int ignoreHeader;
    int maxError;
    String dateFormat;
    String timeFormat;

    private CopyCommand() {}

    /** Parses {@code sig}, which starts at COPY. */
    static CopyCommand parse(List<Token> sig) {
        CopyCommand c = new CopyCommand();
        int i = 1;
        int nameStart = i;
        i++;
        while (Sig.isSymbol(sig, i, ".")) {
            i += 2;
        }
        if (i > sig.size() || !sig.get(nameStart).isName()) {
            throw Rejected.syntax(
                    nameStart < sig.size() ? sig.get(nameStart).text : "end of input", "COPY needs a table");
        }
        c.table.addAll(sig.subList(nameStart, i));
        if (Sig.isSymbol(sig, i, "(")) {
            int close = Sig.afterClosing(sig, i);
            for (List<Token> column : Sig.splitTopLevel(sig, i + 1, close - 1)) {
                if (column.size() != 1 || !column.get(0).isName()) {
                    throw Rejected.syntax(column.isEmpty() ? ")" : column.get(0).text, "a column list holds names");
                }
                c.columns.add(column.get(0).name());
            }
            i = close;
        }
        if (!Sig.is(sig, i, "FROM")) {
            throw Rejected.syntax(i < sig.size() ? sig.get(i).text : "end of input", "COPY ... FROM 'source'");
        }
        c.source = string(sig, i + 1, "FROM");
        if (!c.source.startsWith("s3://")) {
            throw Rejected.unsupported(
                    "the emulator loads only from Amazon S3 ('s3://bucket/key'), not from " + c.source);
        }
        i += 2;
        boolean sawCsv = false;
        while (i < sig.size()) {
            Token t = sig.get(i);
            String word = t.upper();
            if (t.isSymbol(",")) {
                i++;
                continue;
            }
            switch (word) {
                case "IAM_ROLE" -> {
                    if (Sig.is(sig, i + 1, "DEFAULT")) {
                        c.iamRole = "default";
                        i += 2;
                    } else {
                        c.iamRole = string(sig, i + 1, "IAM_ROLE");
                        if (!ROLE_ARN.matcher(c.iamRole).matches()) {
                            throw new Rejected(
                                    Rejected.INTERNAL,
                                    "Invalid IAM_ROLE: '" + c.iamRole + "' is not a role"
                                            + " ARN (arn:aws:iam::<account>:role/<name>)");
                        }
                        i += 2;
                    }
                }
                case "CREDENTIALS", "WITH_CREDENTIALS" -> {
                    i = skipAs(sig, i + 1);
                    credentials(c, string(sig, i, "CREDENTIALS"));
                    i++;
                }
                case "ACCESS_KEY_ID" -> {
                    i = skipAs(sig, i + 1);
                    c.accessKeyId = string(sig, i, "ACCESS_KEY_ID");
                    i++;
                }
                case "SECRET_ACCESS_KEY" -> {
                    i = skipAs(sig, i + 1);
                    c.secretAccessKey = string(sig, i, "SECRET_ACCESS_KEY");
                    i++;
                }
                case "SESSION_TOKEN" -> {
                    i = skipAs(sig, i + 1);
                    string(sig, i, "SESSION_TOKEN");
                    i++;
                }
                case "MANIFEST" -> {
                    c.manifest = true;
                    i = Sig.is(sig, i + 1, "VERBOSE") ? i + 2 : i + 1;
                }
                case "REGION" -> {
                    i = skipAs(sig, i + 1);
                    string(sig, i, "REGION");
                    i++;
                }
                case "FORMAT" -> i = skipAs(sig, i + 1);
                case "CSV" -> {
                    c.format = Format.CSV;
                    c.delimiter = ',';
                    sawCsv = true;
                    i++;
                    if (Sig.is(sig, i, "QUOTE")) {
                        i = skipAs(sig, i + 1);
                        String q = string(sig, i, "QUOTE");
                        if (q.length() != 1) {
                            throw Rejected.syntax(q, "QUOTE takes one character");
                        }
                        c.quote = q.charAt(0);
                        i++;
                    }
                }
                case "JSON" -> {
                    c.format = Format.JSON;
                    i = skipAs(sig, i + 1);
                    c.jsonOption =
                            i < sig.size() && sig.get(i).kind == Token.Kind.STRING ? string(sig, i++, "JSON") : "auto";
                    String option = c.jsonOption.toLowerCase(Locale.ROOT);
                    if (!option.equals("auto") && !option.equals("auto ignorecase")) {
                        throw Rejected.unsupported("the emulator models JSON 'auto' and 'auto ignorecase', not JSON '"
                                + c.jsonOption + "'");
                    }
                }
                case "AVRO", "PARQUET", "ORC", "SHAPEFILE" ->
                    throw Rejected.unsupported("the emulator does not model" + " COPY FORMAT " + word);
                case "FIXEDWIDTH" -> throw Rejected.unsupported("the emulator does not model COPY FIXEDWIDTH");
                case "DELIMITER" -> {
                    i = skipAs(sig, i + 1);
                    String d = string(sig, i, "DELIMITER");
                    if (d.length() != 1) {
                        throw Rejected.syntax(d, "DELIMITER takes a single ASCII character");
                    }
                    c.delimiter = d.charAt(0);
                    i++;
                }
                case "GZIP", "ZSTD" -> {
                    if (c.compression != Compression.NONE) {
                        throw Rejected.syntax(word, "one file compression parameter at most");
                    }
                    c.compression = Compression.valueOf(word);
                    i++;
                }
                case "BZIP2", "LZOP" ->
                    throw Rejected.unsupported(
                            "the emulator reads uncompressed, GZIP and ZSTD" + " files, not " + word);
                case "NULL" -> {
                    i = skipAs(sig, i + 1);
                    c.nullAs = string(sig, i, "NULL AS");
                    if (c.nullAs.equals("\n")) {
                        throw Rejected.syntax(c.nullAs, "'\\n' is reserved as the line delimiter");
                    }
                    i++;
                }
                case "EMPTYASNULL" -> {
                    c.emptyAsNull = true;
                    i++;
                }
                case "BLANKSASNULL" -> {
                    c.blanksAsNull = true;
                    i++;
                }
                case "TRIMBLANKS" -> {
                    c.trimBlanks = true;
                    i++;
                }
                case "ESCAPE" -> {
                    c.escape = true;
                    i++;
                }
                case "REMOVEQUOTES" -> {
                    c.removeQuotes = true;
                    i++;
                }
                case "FILLRECORD" -> {
                    c.fillRecord = true;
                    i++;
                }
                case "IGNOREBLANKLINES" -> {
                    c.ignoreBlankLines = true;
                    i++;
                }
                case "TRUNCATECOLUMNS" -> {
                    c.truncateColumns = true;
                    i++;
                }
                case "ACCEPTINVCHARS" -> {
                    c.acceptInvChars = true;
                    i = skipAs(sig, i + 1);
                    if (i < sig.size() && sig.get(i).kind == Token.Kind.STRING) {
                        i++;
                    }
                }
                case "IGNOREHEADER" -> {
                    i = skipAs(sig, i + 1);
                    c.ignoreHeader = number(sig, i, "IGNOREHEADER");
                    i++;
                }
                case "MAXERROR" -> {
                    i = skipAs(sig, i + 1);
                    c.maxError = number(sig, i, "MAXERROR");
                    i++;
                }
                case "COMPROWS" -> {
                    number(sig, i + 1, "COMPROWS");
                    i += 2;
                }
                case "DATEFORMAT" -> {
                    i = skipAs(sig, i + 1);
                    c.dateFormat = string(sig, i, "DATEFORMAT");
                    i++;
                }
                case "TIMEFORMAT" -> {
                    i = skipAs(sig, i + 1);
                    c.timeFormat = string(sig, i, "TIMEFORMAT");
                    i++;
                }
                case "ENCODING" -> {
                    i = skipAs(sig, i + 1);
                    if (!Sig.is(sig, i, "UTF8")) {
                        throw Rejected.unsupported("the emulator reads UTF8 files only");
                    }
                    i++;
                }
                case "COMPUPDATE", "STATUPDATE" -> {
                    i++;
                    if (Sig.is(sig, i, "ON")
                            || Sig.is(sig, i, "OFF")
                            || Sig.is(sig, i, "TRUE")
                            || Sig.is(sig, i, "FALSE")
                            || Sig.is(sig, i, "PRESET")) {
                        i++;
                    }
                }
                case "ROUNDEC" -> {
                    c.roundDecimals = true;
                    i++;
                }
                case "ACCEPTANYDATE", "EXPLICIT_IDS", "NOLOAD", "BLANKSASNULLS" -> i++;
                case "ENCRYPTED" ->
                    throw Rejected.unsupported("the emulator does not model client-side encrypted files");
                default -> throw Rejected.syntax(t.text, "not a COPY parameter (r_COPY)");
            }
        }
        if (c.iamRole == null && (c.accessKeyId == null || c.secretAccessKey == null)) {
            throw new Rejected(
                    Rejected.INTERNAL,
                    "Missing or invalid authorization: COPY from Amazon S3 needs IAM_ROLE,"
                            + " CREDENTIALS, or ACCESS_KEY_ID and SECRET_ACCESS_KEY (copy-parameters-authorization)");
        }
        if (sawCsv && (c.escape || c.removeQuotes)) {
            throw Rejected.syntax("CSV", "CSV can't be used with FIXEDWIDTH, REMOVEQUOTES, or ESCAPE");
        }
        if (c.format == Format.JSON && (c.escape || c.removeQuotes || c.delimiter != '|' || c.ignoreHeader > 0)) {
            throw Rejected.syntax("JSON", "JSON can't be used with DELIMITER, ESCAPE, REMOVEQUOTES or IGNOREHEADER");
        }
        return c;
    }

    /** Whether the command gives keys of its own rather than a role. */
    boolean hasKeys() {
        return accessKeyId != null;
    }

    private static void credentials(CopyCommand c, String text) {
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            switch (key) {
                case "aws_access_key_id" -> c.accessKeyId = value;
                case "aws_secret_access_key" -> c.secretAccessKey = value;
                case "aws_iam_role" -> {
                    if (!ROLE_ARN.matcher(value).matches()) {
                        throw new Rejected(Rejected.INTERNAL, "Invalid credentials: aws_iam_role is not a role ARN");
                    }
                    c.iamRole = value;
                }
                default -> {
                    // token=... and master_symmetric_key=... are accepted as given
                }
            }
        }
    }

    private static int skipAs(List<Token> sig, int i) {
        return Sig.is(sig, i, "AS") ? i + 1 : i;
    }

    private static String string(List<Token> sig, int i, String after) {
        if (i >= sig.size() || sig.get(i).kind != Token.Kind.STRING) {
            throw Rejected.syntax(i < sig.size() ? sig.get(i).text : "end of input", after + " takes a quoted string");
        }
        String text = sig.get(i).text;
        if (text.startsWith("E") || text.startsWith("e")) {
            text = text.substring(1);
        }
        return unescape(text.substring(1, text.length() - 1));
    }

    /** A string literal's value: Redshift reads backslash escapes in it, and {@code ''} is a quote. */
    static String unescape(String body) {
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char n = body.charAt(++i);
                sb.append(
                        switch (n) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> n;
                        });
            } else if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                sb.append('\'');
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int number(List<Token> sig, int i, String after) {
        if (i >= sig.size() || sig.get(i).kind != Token.Kind.NUMBER) {
            throw Rejected.syntax(i < sig.size() ? sig.get(i).text : "end of input", after + " takes a number");
        }
        return Integer.parseInt(sig.get(i).text);
    }
}
