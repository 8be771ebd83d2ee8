package io.zeroetl.testing.internal.redshift;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What each proxied connection needs to know.
 *
 * @param backendHost the backing PostgreSQL's host
 * @param backendPort its port
 * @param backendUser the user the proxy logs in as
 * @param backendPassword that user's password
 * @param backendDatabase the database that plays the cluster's database
 * @param user the user clients log in as
 * @param password their password
 * @param database the database name clients ask for (e.g. dev)
 * @param recorder receives every statement
 * @param columns the columns of a table, looked up in the backing database
 * @param beforeStatement called with each statement before anything is done with it
 * @param copyLoads runs COPY from S3, or null when the emulator has no S3
 * @param tableColumns the columns of a permanent table with their Redshift types, looked up in the backing
 *     database (empty when there is no such table)
 * @param caseSensitiveDefault enable_case_sensitive_identifier of a new session (the parameter group's value)
 */
public record ProxyConfig(
        String backendHost,
        int backendPort,
        String backendUser,
        String backendPassword,
        String backendDatabase,
        String user,
        String password,
        String database,
        StatementRecorder recorder,
        Function<String, List<String>> columns,
        Consumer<String> beforeStatement,
        CopyLoads copyLoads,
        Function<String, List<CopyLoads.Column>> tableColumns,
        boolean caseSensitiveDefault) {}
