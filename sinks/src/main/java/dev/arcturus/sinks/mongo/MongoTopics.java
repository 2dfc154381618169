package dev.arcturus.sinks.mongo;

import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.Task;
import dev.arcturus.avro.User;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.util.List;

/** The topics the MongoDB sink follows; tests pass private copies. */
public record MongoTopics(Topic<JobState> jobs, Topic<RunState> runs, Topic<NodeRegistration> registrations,
                          Topic<NodeLiveness> liveness, Topic<Task> tasks, Topic<User> users,
                          Topic<GlobalConfig> config) {

    public static MongoTopics catalogue() {
        return new MongoTopics(TopicCatalog.JOB_STATE, TopicCatalog.RUN_STATE, TopicCatalog.NODE_REGISTRATION,
                TopicCatalog.NODE_LIVENESS, TopicCatalog.TASK, TopicCatalog.USER, TopicCatalog.GLOBAL_CONFIG);
    }

    /** The catalogue topics renamed {@code <prefix>.<name>}. */
    public static MongoTopics prefixed(final String prefix) {
        final MongoTopics c = catalogue();
        return new MongoTopics(rename(prefix, c.jobs), rename(prefix, c.runs), rename(prefix, c.registrations),
                rename(prefix, c.liveness), rename(prefix, c.tasks), rename(prefix, c.users), rename(prefix, c.config));
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> Topic<V> rename(final String prefix,
                                                                                        final Topic<V> topic) {
        return topic.withName(prefix + "." + topic.name());
    }

    public List<Topic<?>> all() {
        return List.of(jobs, runs, registrations, liveness, tasks, users, config);
    }
}
