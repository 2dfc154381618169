package dev.arcturus.launcher.sinks;

import dev.arcturus.sinks.mongo.MongoSinkConfig;
import picocli.CommandLine.Option;

/** Where the MongoDB sink writes (credentials, if any, inside the URI; keep it in the env, not on the command line). */
public final class MongoOptions {
    @Option(names = {"--mongo-uri", "--uri"}, defaultValue = "${env:ARCTURUS_MONGO_URI}",
            description = "mongodb:// connection string for LEOScope's collections (env ARCTURUS_MONGO_URI).")
    String uri;

    @Option(names = "--mongo-database", defaultValue = "${env:ARCTURUS_MONGO_DATABASE:-leotest}",
            description = "Database name (env ARCTURUS_MONGO_DATABASE; default ${DEFAULT-VALUE}, as LEOScope).")
    String database;

    public boolean isConfigured() {
        return uri != null && !uri.isBlank();
    }

    public MongoSinkConfig config() {
        if (!isConfigured()) {
            throw new IllegalArgumentException("--mongo-uri (or ARCTURUS_MONGO_URI) is required");
        }
        return new MongoSinkConfig(uri, database);
    }
}
