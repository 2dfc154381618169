package dev.arcturus.admission;

import dev.arcturus.avro.AdmissionResult;
import dev.arcturus.avro.AdmissionStep;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Both halves of admission in one task: the job router (ledgers, keyed by jobId) and the node calendars (keyed by
 * nodeId) read co-partitioned topics, so the task for partition p owns the jobs and the nodes whose keys hash to p.
 * Messages between them for keys owned here never leave the task ({@link AdmissionMail}).
 */
final class AdmissionProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
    private final JobRouter router;
    private final NodeCalendars calendars;
    private final Topic<?> partitioning;
    private AdmissionMail mail;

    AdmissionProcessor(final AdmissionConfig config, final Topic<?> partitioning) {
        final Expansions expansions = new Expansions();
        this.router = new JobRouter(config.decisionRetention(), expansions);
        this.calendars = new NodeCalendars(config.maxConflicts(), config.maxCachedRuns(), expansions);
        this.partitioning = partitioning;
    }

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        mail = new AdmissionMail(context, partitioning);
        mail.connect(router, calendars);
        router.init(context, mail);
        calendars.init(context, mail);
    }

    @Override
    public void process(final Record<String, SpecificRecord> record) {
        final SpecificRecord value = record.value();
        if (value instanceof JobCommand command) {
            router.onCommand(record.key(), command);
        } else if (value instanceof AdmissionResult result) {
            router.onResult(result);
        } else if (value instanceof AdmissionStep step) {
            calendars.onStep(record.key(), step);
        }
        mail.deliver();
        router.flush();
    }
}
