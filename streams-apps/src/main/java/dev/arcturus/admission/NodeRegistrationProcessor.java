package dev.arcturus.admission;

import dev.arcturus.avro.NodeCalendarState;
import dev.arcturus.avro.NodeRegistration;
import java.util.ArrayList;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Marks node calendars registered or not, so admission can refuse jobs on unknown nodes. */
final class NodeRegistrationProcessor implements Processor<String, NodeRegistration, Void, Void> {
    private KeyValueStore<String, NodeCalendarState> calendars;

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.calendars = context.getStateStore(AdmissionStores.NODE_CALENDAR_STORE);
    }

    @Override
    public void process(final Record<String, NodeRegistration> record) {
        final NodeCalendarState existing = calendars.get(record.key());
        final NodeCalendarState state = existing != null ? existing : NodeCalendarState.newBuilder()
                .setNodeId(record.key()).setJobs(new ArrayList<>()).setWaiting(new ArrayList<>()).build();
        state.setRegistered(record.value() != null); // a tombstone deregisters; its jobs stay until deleted
        calendars.put(record.key(), state);
    }
}
