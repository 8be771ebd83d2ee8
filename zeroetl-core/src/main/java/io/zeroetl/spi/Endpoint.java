package io.zeroetl.spi;

import io.zeroetl.Secret;
import io.zeroetl.ZeroEtlException;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a source or target connects: a JDBC URL, a user, that user's password (a {@link Secret}) and the
 * driver's other properties. Immutable; {@link #toString()} shows no password and no URL parameters.
 *
 * <p>Builders of sources and targets take these options through {@link Options}, so they are spelled and
 * checked once:
 *
 * <pre>{@code
 * public static final class Builder extends Endpoint.Options<Builder> {
 *     private Builder() { super("jdbc:postgresql://", "jdbc:postgresql://db:5432/shop"); }
 *     protected Builder self() { return this; }
 *     public PostgresSource build() { Endpoint endpoint = endpoint(); ... }
 * }
 * }</pre>
 */
public final class Endpoint {
    private final String url;
    private final String user;
    private final Secret password;
    private final Properties properties;

    private Endpoint(String url, String user, Secret password, Properties properties) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.properties = new Properties();
        this.properties.putAll(properties);
    }

    /** {@return the JDBC URL} */
    public String url() {
        return url;
    }

    /** {@return the user} */
    public String user() {
        return user;
    }

    /** {@return the user's password} */
    public Secret password() {
        return password;
    }

    /** {@return the driver properties given (user and password not among them), a copy} */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** {@return what a driver connects with: the properties given, the user and the revealed password; a copy} */
    public Properties connectionProperties() {
        Properties props = properties();
        props.setProperty("user", user);
        props.setProperty("password", password.reveal());
        return props;
    }

    /** {@return the URL without its parameters, and the user} */
    @Override
    public String toString() {
        int query = url.indexOf('?');
        return (query < 0 ? url : url.substring(0, query)) + ", user " + user;
    }

    /**
     * The endpoint options of a source's or target's builder: {@code jdbcUrl}, {@code user}, {@code password},
     * {@code property}. Each setter rejects what it cannot take at once; {@link #endpoint()} says what is
     * missing. Not thread-safe.
     *
     * @param <B> the builder
     */
    public abstract static class Options<B extends Options<B>> {
        private final String scheme;
        private final String example;
        private final Properties properties = new Properties();
        private String url;
        private String user;
        private Secret password;

        /**
         * Options for URLs that start with {@code scheme}.
         *
         * @param scheme e.g. {@code jdbc:postgresql://}
         * @param example a whole URL, for the message when none was given
         */
        protected Options(String scheme, String example) {
            this.scheme = Objects.requireNonNull(scheme, "scheme");
            this.example = Objects.requireNonNull(example, "example");
        }

        /** {@return this builder} */
        protected abstract B self();

        /**
         * The database's JDBC URL.
         *
         * @param url a URL starting with the driver's scheme, e.g. {@code jdbc:postgresql://host:5432/database}
         * @return this builder
         */
        public B jdbcUrl(String url) {
            Objects.requireNonNull(url, "jdbcUrl");
            if (!url.startsWith(scheme)) {
                throw ZeroEtlException.configuration("jdbcUrl", "must start with " + scheme);
            }
            this.url = url;
            return self();
        }

        /**
         * The user to connect as (the privileges it needs are in the module's documentation).
         *
         * @param user the user's name
         * @return this builder
         */
        public B user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return self();
        }

        /**
         * That user's password.
         *
         * @param password the password (kept as a {@link Secret}); {@code ""} for trust or certificates
         * @return this builder
         */
        public B password(String password) {
            this.password = Secret.of(Objects.requireNonNull(password, "password"));
            return self();
        }

        /**
         * That user's password.
         *
         * @param password the password
         * @return this builder
         */
        public B password(Secret password) {
            this.password = Objects.requireNonNull(password, "password");
            return self();
        }

        /**
         * Any other property of the JDBC driver.
         *
         * @param name the property's name
         * @param value its value
         * @return this builder
         */
        public B property(String name, String value) {
            properties.setProperty(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return self();
        }

        /**
         * The endpoint the options describe.
         *
         * @return the endpoint
         * @throws ZeroEtlException (configuration) naming the first required option not given
         */
        protected Endpoint endpoint() {
            if (url == null) {
                throw ZeroEtlException.configuration("jdbcUrl", "is required, e.g. " + example);
            }
            if (user == null) {
                throw ZeroEtlException.configuration("user", "is required");
            }
            if (password == null) {
                throw ZeroEtlException.configuration(
                        "password", "is required (use \"\" for trust or certificate authentication)");
            }
            return new Endpoint(url, user, password, properties);
        }
    }
}
