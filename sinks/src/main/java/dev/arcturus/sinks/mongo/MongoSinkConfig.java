package dev.arcturus.sinks.mongo;

import com.mongodb.ConnectionString;
import java.util.Objects;

/**
 * Where the MongoDB sink writes.
 *
 * @param uri      a {@code mongodb://} connection string
 * @param database the database holding LEOScope's collections ({@code leotest} in LEOScope)
 */
public record MongoSinkConfig(String uri, String database) {
    public static final String DEFAULT_DATABASE = "leotest";

    public MongoSinkConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(database, "database");
        try {
            new ConnectionString(uri);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("mongo uri: " + e.getMessage(), e);
        }
        if (database.isBlank()) {
            throw new IllegalArgumentException("mongo database: must not be blank");
        }
    }

    @Override
    public String toString() {
        // The URI may carry a password.
        return "MongoSinkConfig[uri=" + uri.replaceAll("//[^@/]*@", "//***@") + ", database=" + database + "]";
    }
}
