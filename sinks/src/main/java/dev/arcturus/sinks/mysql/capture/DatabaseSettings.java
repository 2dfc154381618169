package dev.arcturus.sinks.mysql.capture;

import java.net.URI;
import java.util.Objects;

/**
 * The database the capture reads, from the sink's own JDBC URL and login: the binary log client speaks the
 * replication protocol itself and needs host, port and schema name apart.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password) {
    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        if (!jdbcUrl.startsWith("jdbc:mysql://")) {
            throw new IllegalArgumentException("jdbc-url: must start with jdbc:mysql://, was " + safe(jdbcUrl));
        }
        if (name(jdbcUrl).isEmpty()) {
            throw new IllegalArgumentException("jdbc-url: must name the database (jdbc:mysql://host:port/<database>), "
                    + "was " + safe(jdbcUrl));
        }
    }

    private URI uri() {
        return URI.create(jdbcUrl.substring("jdbc:".length()));
    }

    String host() {
        return uri().getHost();
    }

    int port() {
        return uri().getPort() < 0 ? 3306 : uri().getPort();
    }

    /** The schema the tables live in. */
    String name() {
        return name(jdbcUrl);
    }

    private static String name(final String url) {
        final String path = URI.create(url.substring("jdbc:".length())).getPath();
        return path == null ? "" : path.replaceFirst("^/", "");
    }

    /** The URL without any password parameter, for logs. */
    String safeUrl() {
        return safe(jdbcUrl);
    }

    private static String safe(final String url) {
        return url.replaceAll("password=[^&;]*", "password=***");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + safeUrl() + ", user=" + user + ", password=***]";
    }
}
