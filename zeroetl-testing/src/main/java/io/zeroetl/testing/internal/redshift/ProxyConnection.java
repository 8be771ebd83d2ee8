package io.zeroetl.testing.internal.redshift;

import io.zeroetl.testing.InjectedFailure;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: answers the startup as Redshift would (no SSL, cleartext password check),
 * logs into PostgreSQL, then relays messages both ways, translating the SQL of Query and Parse
 * messages and reshaping errors.
 */
final class ProxyConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyConnection.class);

    /** Translations of statements that depend on nothing but their text and the session's two flags. */
    private static final TranslationCache TRANSLATIONS = new TranslationCache(32L << 20);

    private final Socket client;
    private final ProxyConfig config;
    private final ThreadFactory threads;
    private final ConcurrentLinkedQueue<Character> drops = new ConcurrentLinkedQueue<>();
    private volatile boolean inTransaction;
    private volatile boolean caseSensitive;
    private volatile int backendPid;
    private volatile int lastCopyId = -1;
    /** COPY statements sent and not yet answered, oldest first: their errors are reshaped, their files deleted. */
    private final ConcurrentLinkedQueue<PendingCopy> copies = new ConcurrentLinkedQueue<>();
    /** Tables this session made, with their columns, for COPY (see {@link #tables(List)}). */
    private final Map<String, List<CopyLoads.Column>> sessionTables = new ConcurrentHashMap<>();

    private Socket backend;

    ProxyConnection(Socket client, ProxyConfig config, ThreadFactory threads) {
        this.client = client;
        this.config = config;
        this.caseSensitive = config.caseSensitiveDefault();
        this.threads = threads;
    }

    @Override
    public void run() {
        try (Socket c = client) {
            c.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(c.getInputStream(), 65536));
            OutputStream out = new BufferedOutputStream(c.getOutputStream(), 65536);
            ClientStartup startup = new ClientStartup(config);
            Map<String, String> parameters = startup.startup(in, out);
            if (parameters == null || !startup.authenticate(parameters, in, out)) {
                return;
            }
            try (Socket b = new Socket(config.backendHost(), config.backendPort())) {
                backend = b;
                b.setTcpNoDelay(true);
                DataInputStream bin = new DataInputStream(new BufferedInputStream(b.getInputStream(), 65536));
                OutputStream bout = new BufferedOutputStream(b.getOutputStream(), 65536);
                byte[] error = BackendLogin.login(
                        bin,
                        bout,
                        startup.backendParameters(parameters),
                        config.backendUser(),
                        config.backendPassword());
                if (error != null) {
                    Wire.write(out, 'E', error);
                    out.flush();
                    return;
                }
                Wire.write(out, 'R', new Wire.Body().int32(0).build());
                Thread serverToClient = threads.newThread(() -> relayServer(bin, out));
                serverToClient.start();
                relayClient(in, bout);
                serverToClient.join(5000);
            } finally {
                PendingCopy.unanswered(copies);
            }
        } catch (IOException e) {
            LOG.debug("Emulator connection ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void relayClient(DataInputStream in, OutputStream bout) throws IOException {
        try {
            Wire.Message m;
            while ((m = Wire.read(in)) != null) {
                switch (m.type()) {
                    case 'Q':
                        query(m.body(), bout);
                        break;
                    case 'P':
                        parse(m.body(), bout);
                        break;
                    default:
                        Wire.write(bout, m.type(), m.body());
                }
                if (m.type() == 'X') {
                    bout.flush();
                    return;
                }
                if (in.available() == 0) {
                    bout.flush();
                }
            }
        } finally {
            Socket b = backend;
            if (b != null) {
                b.shutdownOutput();
            }
        }
    }

    private void query(byte[] body, OutputStream bout) throws IOException {
        String sql = new Wire.Reader(body).cstring();
        List<String> parts = new ArrayList<>();
        boolean commitFirst = false;
        for (String statement : SqlTranslator.split(sql)) {
            Translation t = translate(statement);
            commitFirst |= t.commitFirst();
            parts.add(t.isRejected() ? RejectSql.of(t, statement) : t.sql());
        }
        String sent = String.join(";\n", parts);
        if (commitFirst) {
            sent = "COMMIT;\n" + sent;
            drops.add('C');
        }
        Wire.write(bout, 'Q', new Wire.Body().cstring(sent).build());
    }

    private void parse(byte[] body, OutputStream bout) throws IOException {
        Wire.Reader r = new Wire.Reader(body);
        String name = r.cstring();
        String sql = r.cstring();
        byte[] rest = r.rest();
        Translation t = translate(sql);
        if (t.commitFirst()) {
            Wire.write(bout, 'Q', new Wire.Body().cstring("COMMIT").build());
            drops.add('C');
            drops.add('Z');
        }
        String sent = t.isRejected() ? RejectSql.of(t, sql) : t.sql();
        Wire.write(
                bout, 'P', new Wire.Body().cstring(name).cstring(sent).raw(rest).build());
    }

    private Translation translate(String sql) {
        Translation t;
        try {
            config.beforeStatement().accept(sql);
            t = TRANSLATIONS.translate(
                    sql,
                    caseSensitive,
                    inTransaction,
                    () -> SqlTranslator.translate(
                            sql,
                            new SqlTranslator.Context(caseSensitive, inTransaction, config.columns(), this::copy)));
            if (!t.isRejected()) {
                t = session(sql, t);
            }
        } catch (InjectedFailure f) {
            t = Translation.rejected(new Rejected(f.sqlState(), f.getMessage()));
        }
        String head = sql.stripLeading().toUpperCase();
        if (!t.isRejected()) {
            if (head.startsWith("BEGIN") || head.startsWith("START TRANSACTION")) {
                inTransaction = true;
            } else if (head.startsWith("COMMIT")
                    || head.startsWith("END")
                    || head.startsWith("ROLLBACK")
                    || head.startsWith("ABORT")) {
                inTransaction = false;
            }
        }
        if (t.caseSensitive() != null) {
            caseSensitive = head.startsWith("RESET") ? config.caseSensitiveDefault() : t.caseSensitive();
        }
        config.recorder().record(sql, t.sql(), t.sqlState(), t.rejection());
        return t;
    }

    /** COPY from S3: the file is prepared now; PostgreSQL loads it when the translated statement runs. */
    private Translation copy(List<Token> sig) {
        CopyLoads loads = config.copyLoads();
        if (loads == null) {
            throw Rejected.unsupported(
                    "this emulator has no S3 to load from: build it with" + " RedshiftEmulator.builder().s3(S3Server)");
        }
        CopyCommand c = CopyCommand.parse(sig);
        PendingCopy p = loads.prepare(c, copyTarget(c), backendPid);
        lastCopyId = p.copyId();
        copies.add(p);
        return Translation.of(CopyLoads.loadSql(p));
    }

    private CopyLoads.Target copyTarget(CopyCommand c) {
        String display = c.table.get(c.table.size() - 1).name();
        String schema = c.table.size() == 1 ? "public" : c.table.get(0).name();
        List<CopyLoads.Column> all = c.table.size() == 1 ? sessionTables.get(fold(display)) : null;
        if (all == null) {
            all = sessionTables.get(fold(schema + "." + display));
        }
        if (all == null) {
            all = config.tableColumns().apply(Token.quoted(schema).text + "." + Token.quoted(display).text);
        }
        if (all.isEmpty()) {
            throw new Rejected("42P01", "relation \"" + display + "\" does not exist");
        }
        List<CopyLoads.Column> columns = new ArrayList<>();
        if (c.columns.isEmpty()) {
            columns.addAll(all);
        } else {
            for (String name : c.columns) {
                columns.add(all.stream()
                        .filter(col -> col.name().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new Rejected(
                                "42703", "column \"" + name + "\" of relation \"" + display + "\" does not exist")));
            }
        }
        return new CopyLoads.Target(Sig.join(c.table), display, columns);
    }

    /**
     * {@code ALTER TABLE name ADD [COLUMN] column type} of a temporary table this session made: the column is
     * added to what it remembers (no other session could tell the catalog's columns of it). False otherwise.
     */
    private boolean addsColumnToSessionTable(List<Token> sig) {
        if (!sig.get(0).is("ALTER")
                || !Sig.is(sig, 1, "TABLE")
                || sig.size() < 6
                || !sig.get(2).isName()) {
            return false;
        }
        String key = fold(sig.get(2).name());
        List<CopyLoads.Column> known = sessionTables.get(key);
        if (known == null || !Sig.is(sig, 3, "ADD")) {
            return false;
        }
        int c = Sig.is(sig, 4, "COLUMN") ? 5 : 4;
        if (c + 1 >= sig.size() || !sig.get(c).isName()) {
            return false;
        }
        Sig.TypeRef type = Sig.type(sig, c + 1);
        List<CopyLoads.Column> grown = new ArrayList<>(known);
        grown.add(new CopyLoads.Column(sig.get(c).name(), RedshiftTypes.redshiftType(type.name(), type.args())));
        sessionTables.put(key, List.copyOf(grown));
        return true;
    }

    /** What the session remembers of a statement: temporary tables made and dropped; PG_LAST_COPY_ID. */
    private Translation session(String sql, Translation t) {
        String first = TranslationCache.firstWord(sql);
        if (first.equalsIgnoreCase("CREATE") || first.equalsIgnoreCase("DROP") || first.equalsIgnoreCase("ALTER")) {
            tables(Sig.of(SqlLexer.lex(sql)));
        }
        if (t.sql() != null && (t.sql().contains("_copy_id") || t.sql().contains("_COPY_ID"))) {
            return new Translation(
                    t.sql().replaceAll("(?i)pg_last_copy_id\\s*\\(\\s*\\)", Integer.toString(lastCopyId)),
                    t.sqlState(),
                    t.rejection(),
                    t.commitFirst(),
                    t.caseSensitive());
        }
        return t;
    }

    /**
     * The tables this session created, by name ({@code name} for a temporary one, {@code schema.name} else):
     * another session cannot see a temporary table, nor one made in this session's open transaction. A table
     * dropped or altered here is forgotten (the catalog is asked again).
     */
    private void tables(List<Token> sig) {
        if (sig.isEmpty()) {
            return;
        }
        if (sig.get(0).is("CREATE")) {
            TableDdl.Created created = TableDdl.created(sig);
            if (created != null) {
                String key = created.temp()
                        ? created.name()
                        : (created.schema() == null ? "public" : created.schema()) + "." + created.name();
                sessionTables.put(fold(key), created.columns());
            }
        } else if (addsColumnToSessionTable(sig)) {
            return;
        } else if ((sig.get(0).is("DROP") || sig.get(0).is("ALTER")) && Sig.is(sig, 1, "TABLE")) {
            int i = 2;
            while (Sig.is(sig, i, "IF") || Sig.is(sig, i, "EXISTS")) {
                i++;
            }
            for (; i < sig.size(); i++) {
                if (sig.get(i).isName()) {
                    String name = sig.get(i).name();
                    String qualified = Sig.isSymbol(sig, i + 1, ".") && i + 2 < sig.size()
                            ? name + "." + sig.get(i + 2).name()
                            : "public." + name;
                    sessionTables.remove(fold(name));
                    sessionTables.remove(fold(qualified));
                    if (Sig.isSymbol(sig, i + 1, ".")) {
                        i += 2;
                    }
                }
                if (sig.get(0).is("ALTER")) {
                    break;
                }
            }
        }
    }

    private String fold(String name) {
        return caseSensitive ? name : name.toLowerCase(Locale.ROOT);
    }

    private void relayServer(DataInputStream bin, OutputStream out) {
        try {
            Wire.Message m;
            while ((m = Wire.read(bin)) != null) {
                Character drop = drops.peek();
                if (drop != null && drop == m.type()) {
                    drops.poll();
                    continue;
                }
                if (m.type() == 'Z') {
                    inTransaction = m.body()[0] != 'I';
                }
                if (m.type() == 'K') {
                    backendPid = new Wire.Reader(m.body()).int32();
                }
                byte[] body = m.type() == 'E' ? ErrorShapes.redshift(copyError(m.body())) : m.body();
                if (m.type() == 'C' || m.type() == 'E') {
                    copyAnswered(m.type(), body);
                }
                Wire.write(out, m.type(), body);
                if (bin.available() == 0) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException e) {
            LOG.debug("Emulator backend relay ended: {}", e.toString());
        } finally {
            try {
                client.shutdownOutput();
            } catch (IOException e) {
                LOG.trace("client already closed", e);
            }
        }
    }

    /** An error while PostgreSQL loads a COPY's file: logged in STL_LOAD_ERRORS, answered as Redshift does. */
    private byte[] copyError(byte[] error) {
        PendingCopy p = copies.peek();
        if (p == null || config.copyLoads() == null) {
            return error;
        }
        Map<Character, String> fields = ErrorShapes.parse(error);
        String where = fields == null ? null : fields.get('W');
        if (where == null || !where.startsWith("COPY ")) {
            return error;
        }
        String message = config.copyLoads().loadRefused(p, backendPid, fields.getOrDefault('M', ""), where);
        return Wire.error("ERROR", "XX000", message, null);
    }

    /** A statement was answered: when it was the oldest pending COPY, its file goes. */
    private void copyAnswered(char type, byte[] body) {
        PendingCopy p = copies.peek();
        if (p == null) {
            return;
        }
        String tag = "";
        if (type == 'C') {
            try {
                tag = new Wire.Reader(body).cstring();
            } catch (IOException e) {
                return;
            }
        }
        if (type == 'E' || tag.startsWith("COPY")) {
            copies.poll();
            p.answered();
        }
    }
}
