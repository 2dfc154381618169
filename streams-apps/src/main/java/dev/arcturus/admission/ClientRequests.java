package dev.arcturus.admission;

import dev.arcturus.avro.JobCommand;
import dev.arcturus.bus.BusAccess;
import dev.arcturus.streams.RefusedRecordException;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Job requests produced by any client with a stock Kafka client, each on its own topic
 * {@code jobs.request.<principal>} that only that principal may write (a literal ACL, {@code arcturus user
 * grant-producer}). The topic proves who asked: the relay stamps the command's {@code requestedBy} with that
 * principal, so no client can act as another, and admission then checks it like any requester (owner, ADMIN). A
 * command that names someone else is a lie and is dead-lettered with the reason.
 */
final class ClientRequests {
    /** Every client's request topic. */
    static final Pattern TOPICS = Pattern.compile(Pattern.quote(BusAccess.REQUEST_TOPIC_PREFIX)
            + BusAccess.CLIENT_NAME.pattern());

    private ClientRequests() {
    }

    /** The principal a request topic belongs to. */
    static String principalOf(final String topic) {
        if (!TOPICS.matcher(topic).matches()) {
            throw new IllegalArgumentException("not a request topic: " + topic);
        }
        return topic.substring(BusAccess.REQUEST_TOPIC_PREFIX.length());
    }

    static final class Relay implements Processor<String, JobCommand, String, SpecificRecord> {
        private ProcessorContext<String, SpecificRecord> context;

        @Override
        public void init(final ProcessorContext<String, SpecificRecord> context) {
            this.context = context;
        }

        @Override
        public void process(final Record<String, JobCommand> record) {
            if (record.key() == null || record.value() == null) {
                return; // requests are events: nothing to delete
            }
            final String topic = context.recordMetadata().map(RecordMetadata::topic).orElseThrow();
            final String principal = principalOf(topic);
            final String claimed = record.value().getRequestedBy();
            if (claimed != null && !claimed.isBlank() && !claimed.equals(principal)) {
                throw new RefusedRecordException("requestedBy: '" + claimed + "' is not " + principal
                        + ", whose topic " + topic + " carried the command");
            }
            final JobCommand.Builder stamped = JobCommand.newBuilder(record.value()).setRequestedBy(principal);
            if (stamped.hasSpec() && stamped.getSpec() != null && (stamped.getSpec().getOwner() == null
                    || stamped.getSpec().getOwner().isBlank())) {
                // A job submitted without an owner is the requester's; one naming another owner is refused by
                // admission's requester check like any other.
                stamped.setSpec(dev.arcturus.avro.JobSpec.newBuilder(stamped.getSpec()).setOwner(principal).build());
            }
            context.forward(record.withValue(stamped.build()));
        }
    }
}
