package dev.arcturus.sinks.mongo;

import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.Task;
import dev.arcturus.avro.User;
import dev.arcturus.sinks.delivery.SinkRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bson.Document;

/**
 * LEOScope's collections: which topic feeds which collection, how a record becomes a write, and the indexes
 * LEOScope lacked (unique ids, its query indexes) or had (TTL on jobs and tasks).
 */
final class LeoScopeCollections {
    static final String JOBS = "jobs";
    static final String RUNS = "runs";
    static final String NODES = "nodes";
    static final String TASKS = "tasks";
    static final String USERS = "users";
    static final String CONFIG = "config";

    /** One topic's route: the collection it lands in and the write each record becomes. */
    record Route(String topic, String collection, Function<SinkRecord, WriteModel<Document>> toWrite) {
    }

    private LeoScopeCollections() {
    }

    static List<Route> routes(final MongoTopics topics) {
        return List.of(
                new Route(topics.jobs().name(), JOBS, replaceOrDelete(v -> LeoScopeDocuments.job((JobState) v))),
                new Route(topics.runs().name(), RUNS, replaceOrDelete(v -> LeoScopeDocuments.run((RunState) v))),
                new Route(topics.tasks().name(), TASKS, replaceOrDelete(v -> LeoScopeDocuments.task((Task) v))),
                new Route(topics.users().name(), USERS, replaceOrDelete(v -> LeoScopeDocuments.user((User) v))),
                new Route(topics.config().name(), CONFIG, record -> record.isTombstone()
                        ? new DeleteOneModel<>(Filters.eq("_id", record.key()))
                        : replace(record.key(), LeoScopeDocuments.config(record.key(), (GlobalConfig) record.value()))),
                // Two topics feed one node document: each sets only its own fields, so neither erases the other.
                new Route(topics.registrations().name(), NODES, record -> record.isTombstone()
                        ? new DeleteOneModel<>(Filters.eq("_id", record.key()))
                        : set(record.key(), LeoScopeDocuments.nodeRegistration((NodeRegistration) record.value()))),
                new Route(topics.liveness().name(), NODES, record -> record.isTombstone()
                        ? new UpdateOneModel<>(Filters.eq("_id", record.key()), new Document("$unset",
                                new Document("liveness", "").append("liveness_since", "").append("flap_count", "")))
                        : set(record.key(), LeoScopeDocuments.nodeLiveness((NodeLiveness) record.value()))));
    }

    private static Function<SinkRecord, WriteModel<Document>> replaceOrDelete(
            final Function<Object, Document> toDocument) {
        return record -> record.isTombstone()
                ? new DeleteOneModel<>(Filters.eq("_id", record.key()))
                : replace(record.key(), toDocument.apply(record.value()));
    }

    private static WriteModel<Document> replace(final String id, final Document document) {
        return new ReplaceOneModel<>(Filters.eq("_id", id), document, new ReplaceOptions().upsert(true));
    }

    private static WriteModel<Document> set(final String id, final Document fields) {
        return new UpdateOneModel<>(Filters.eq("_id", id), new Document("$set", fields), new UpdateOptions().upsert(true));
    }

    /** The indexes of each collection (created idempotently at start). */
    static List<IndexModel> indexes(final String collection) {
        return switch (collection) {
            case JOBS -> List.of(unique("id"), new IndexModel(Indexes.ascending("nodeid")),
                    new IndexModel(Indexes.ascending("server")), new IndexModel(Indexes.ascending("userid")),
                    ttl("expire_at"));
            case RUNS -> List.of(unique("runid"), new IndexModel(Indexes.compoundIndex(Indexes.ascending("jobid"),
                            Indexes.ascending("nodeid"), Indexes.descending("start_time")),
                            new IndexOptions().name("run_query_index")),
                    new IndexModel(Indexes.ascending("userid")));
            case NODES -> List.of(unique("nodeid"), new IndexModel(Indexes.compoundIndex(Indexes.ascending("nodeid"),
                    Indexes.descending("last_active")), new IndexOptions().name("node_query_index")));
            case TASKS -> List.of(unique("taskid"), new IndexModel(Indexes.ascending("nodeid")), ttl("expire_at"));
            case USERS -> List.of(unique("id"));
            default -> List.of();
        };
    }

    static List<String> names() {
        return List.of(JOBS, RUNS, NODES, TASKS, USERS, CONFIG);
    }

    private static IndexModel unique(final String field) {
        return new IndexModel(Indexes.ascending(field), new IndexOptions().unique(true).name("uq_" + field));
    }

    private static IndexModel ttl(final String field) {
        return new IndexModel(Indexes.ascending(field), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS)
                .name("ttl_" + field));
    }
}
