package dev.arcturus.sinks.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import dev.arcturus.sinks.delivery.SinkRecord;
import dev.arcturus.sinks.delivery.SinkWriter;
import dev.arcturus.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * Writes batches into LEOScope's collections with the reactive-streams driver: one ordered bulk write per collection,
 * awaited before the runner commits offsets. Every write is keyed by {@code _id}, so a replay changes nothing.
 */
public final class MongoWriter implements SinkWriter {
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(60);

    private final MongoClient client;
    private final MongoDatabase database;
    private final MongoTopics topics;
    private final Map<String, LeoScopeCollections.Route> routes = new HashMap<>();

    private MongoWriter(final MongoClient client, final MongoDatabase database, final MongoTopics topics) {
        this.client = client;
        this.database = database;
        this.topics = topics;
        for (final LeoScopeCollections.Route route : LeoScopeCollections.routes(topics)) {
            routes.put(route.topic(), route);
        }
    }

    /** Connects and creates the collections' indexes (fails if MongoDB is unreachable at start). */
    public static MongoWriter open(final MongoSinkConfig config, final MongoTopics topics) {
        final MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(config.uri()))
                // Fail a write within seconds when MongoDB is gone, so the sink backs off instead of hanging.
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(5, TimeUnit.SECONDS)
                        .readTimeout(30, TimeUnit.SECONDS))
                .build());
        try {
            final MongoDatabase database = client.getDatabase(config.database());
            for (final String collection : LeoScopeCollections.names()) {
                if (!LeoScopeCollections.indexes(collection).isEmpty()) {
                    Publishers.await(database.getCollection(collection)
                            .createIndexes(LeoScopeCollections.indexes(collection)), OPERATION_TIMEOUT);
                }
            }
            return new MongoWriter(client, database, topics);
        } catch (final RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public List<Topic<?>> topics() {
        return topics.all();
    }

    @Override
    public void write(final List<SinkRecord> batch) {
        final Map<String, List<WriteModel<Document>>> byCollection = new LinkedHashMap<>();
        for (final SinkRecord record : batch) {
            if (record.key() == null) {
                throw new IllegalArgumentException(record.coordinates() + ": a state record needs its entity key");
            }
            final LeoScopeCollections.Route route = routes.get(record.topic());
            byCollection.computeIfAbsent(route.collection(), c -> new ArrayList<>()).add(route.toWrite().apply(record));
        }
        for (final Map.Entry<String, List<WriteModel<Document>>> entry : byCollection.entrySet()) {
            Publishers.await(database.getCollection(entry.getKey())
                    .bulkWrite(entry.getValue(), new BulkWriteOptions().ordered(true)), OPERATION_TIMEOUT);
        }
    }

    /**
     * A write error on a document (duplicate key, validation) or a mapping failure is the record's problem; anything
     * else from the driver (no server, timeouts, a write-concern failure) is MongoDB's condition and is retried.
     */
    @Override
    public boolean isRecordProblem(final Exception failure) {
        if (failure instanceof MongoBulkWriteException bulk) {
            return !bulk.getWriteErrors().isEmpty();
        }
        if (failure instanceof MongoWriteException) {
            return true;
        }
        return failure instanceof RuntimeException && !(failure instanceof MongoException)
                && !(failure instanceof Publishers.MongoUnavailableException);
    }

    @Override
    public void close() {
        client.close();
    }
}
