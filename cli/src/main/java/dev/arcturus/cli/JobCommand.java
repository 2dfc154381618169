package dev.arcturus.cli;

import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.DeleteJobRequest;
import dev.arcturus.gateway.api.v1.DeleteJobsOnNodeRequest;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.GetScheduledRunsRequest;
import dev.arcturus.gateway.api.v1.GetScheduledRunsResponse;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobDecision;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.MissedRunPolicy;
import dev.arcturus.gateway.api.v1.ListJobsRequest;
import dev.arcturus.gateway.api.v1.ListJobsResponse;
import dev.arcturus.gateway.api.v1.ModifyJobRequest;
import dev.arcturus.gateway.api.v1.NodeSelector;
import dev.arcturus.gateway.api.v1.PageRequest;
import dev.arcturus.gateway.api.v1.RescheduleNearestRequest;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.TimeRange;
import dev.arcturus.gateway.client.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus job schedule|modify|get|list|delete|delete-on-node|reschedule|calendar}. */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Experiment jobs.")
public final class JobCommand {
    @Mixin
    GatewayClient gateway;

    /** A job's fields, as flags (LEOScope's names where they exist). */
    static final class Spec {
        @Option(names = "--jobid", defaultValue = "", description = "Job id (required to modify). Left out of "
                + "schedule with --nodeid, the plane names the job (shown in the answer) in its node's partition, "
                + "the fastest path through admission.")
        String id;
        @Option(names = "--nodeid", defaultValue = "", description = "Node that runs it (or use --count and a selector).")
        String node;
        @Option(names = "--count", defaultValue = "0",
                description = "Let placement choose this many nodes (least loaded UP nodes matching --region/--tag).")
        int count;
        @Option(names = "--region", defaultValue = "", description = "Selector: the nodes' region.")
        String region;
        @Option(names = "--tag", description = "Selector: a tag every chosen node carries (repeatable).")
        java.util.List<String> tags = new java.util.ArrayList<>();
        @Option(names = "--type", defaultValue = "CRON", description = "CRON or ONE_SHOT (LEOScope's atq).")
        JobType type;
        @Option(names = "--schedule", defaultValue = "", description = "5-field cron or @every <duration> (CRON).")
        String schedule;
        @Option(names = "--start-date", required = true, description = "ISO-8601 instant, e.g. 2027-01-01T00:00:00Z.")
        Instant start;
        @Option(names = "--end-date", required = true, description = "ISO-8601 instant (ONE_SHOT: the deadline).")
        Instant end;
        @Option(names = "--length", required = true, description = "Seconds per run (hard limit).")
        int length;
        @Option(names = "--overhead", negatable = true, defaultValue = "true",
                description = "Exclusive (conflict-checked, stoppable by scavenger mode); --no-overhead for background.")
        boolean exclusive;
        @Option(names = "--server", defaultValue = "", description = "Node running the server side.")
        String server;
        @Option(names = "--trigger", defaultValue = "", description = "Boolean expression gating each run.")
        String trigger;
        @Option(names = "--exp-config", description = "Experiment config file (YAML).")
        Path config;
        @Option(names = "--timezone", defaultValue = "UTC", description = "IANA zone of the cron fields.")
        String zone;
        @Option(names = "--missed-run-policy", defaultValue = "SKIP",
                description = "After a gap (the node down, or it learnt of the job late): SKIP records missed "
                        + "occurrences MISSED; RUN_ONCE_LATE runs the latest within --starting-deadline. Either way an "
                        + "occurrence at most 10 s late still runs.")
        MissedRunPolicy missedRunPolicy;
        @Option(names = "--starting-deadline", defaultValue = "0",
                description = "Seconds after its time a missed occurrence may still start (RUN_ONCE_LATE).")
        int startingDeadline;

        JobSpec toProto() {
            try {
                final JobSpec.Builder spec = JobSpec.newBuilder().setId(id).setNodeId(node).setType(type)
                        .setSchedule(schedule).setStart(Timestamps.of(start)).setEnd(Timestamps.of(end)).setLengthSeconds(length)
                        .setExclusive(exclusive).setServerNodeId(server).setTrigger(trigger).setTimeZone(zone)
                        .setMissedRunPolicy(missedRunPolicy).setStartingDeadlineSeconds(startingDeadline)
                        .setConfig(config == null ? "" : Files.readString(config));
                if (count > 0 || !region.isEmpty() || !tags.isEmpty()) {
                    spec.setSelector(NodeSelector.newBuilder().setRegion(region).addAllTags(tags)
                            .setCount(Math.max(count, 1)));
                }
                return spec.build();
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read --exp-config " + config, e);
            }
        }
    }

    private JobServiceGrpc.JobServiceBlockingStub jobs() {
        return gateway.stub(JobServiceGrpc::newBlockingStub);
    }

    @Command(name = "schedule", description = "Schedule a job; waits for admission's decision.")
    int schedule(@ArgGroup(exclusive = false, multiplicity = "1") final Spec spec) {
        return decision(jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(spec.toProto()).build()));
    }

    @Command(name = "modify", description = "Replace a job's specification (owner or ADMIN).")
    int modify(@ArgGroup(exclusive = false, multiplicity = "1") final Spec spec) {
        return decision(jobs().modifyJob(ModifyJobRequest.newBuilder().setJob(spec.toProto()).build()));
    }

    @Command(name = "delete", description = "Delete a job (owner or ADMIN).")
    int delete(@Option(names = "--jobid", required = true) final String id) {
        return decision(jobs().deleteJob(DeleteJobRequest.newBuilder().setId(id).build()));
    }

    @Command(name = "delete-on-node", description = "Delete every job on a node (ADMIN).")
    int deleteOnNode(@Option(names = "--nodeid", required = true) final String node) {
        return decision(jobs().deleteJobsOnNode(DeleteJobsOnNodeRequest.newBuilder().setNodeId(node).build()));
    }

    @Command(name = "reschedule", description = "Move a ONE_SHOT job to the nearest free slot.")
    int reschedule(@Option(names = "--jobid", required = true) final String id,
                   @Option(names = "--not-before", description = "ISO-8601 instant; default now.") final Instant notBefore) {
        final RescheduleNearestRequest.Builder request = RescheduleNearestRequest.newBuilder().setId(id);
        if (notBefore != null) {
            request.setNotBefore(Timestamps.of(notBefore));
        }
        return decision(jobs().rescheduleNearest(request.build()));
    }

    @Command(name = "get", description = "Show a job.")
    int get(@Option(names = "--jobid", required = true) final String id) {
        return print(List.of(jobs().getJob(GetJobRequest.newBuilder().setId(id).build())));
    }

    @Command(name = "list", description = "List jobs: yours, or a node's (--nodeid), or a user's (ADMIN, --userid).")
    int list(@Option(names = "--nodeid", defaultValue = "") final String node,
             @Option(names = "--userid", defaultValue = "") final String owner) {
        final List<Job> all = new ArrayList<>();
        String token = "";
        do {
            final ListJobsResponse page = jobs().listJobs(ListJobsRequest.newBuilder().setNodeId(node).setOwnerId(owner)
                    .setPage(PageRequest.newBuilder().setPageSize(1000).setPageToken(token)).build());
            all.addAll(page.getJobsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return print(all);
    }

    @Command(name = "calendar", description = "A node's scheduled runs in a time range (at most 31 days).")
    int calendar(@Option(names = "--nodeid", required = true) final String node,
                 @Option(names = "--from", required = true) final Instant from,
                 @Option(names = "--to", required = true) final Instant to) {
        final GetScheduledRunsResponse runs = jobs().getScheduledRuns(GetScheduledRunsRequest.newBuilder()
                .setNodeId(node).setRange(TimeRange.newBuilder().setStart(Timestamps.of(from)).setEnd(Timestamps.of(to)))
                .setPage(PageRequest.newBuilder().setPageSize(1000)).build());
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(runs);
        } else {
            out.table(List.of("START", "END", "JOB", "EXCLUSIVE", "SIDE"), runs.getRunsList().stream()
                    .map(r -> List.of(Output.time(r.getStart()), Output.time(r.getEnd()), r.getJobId(),
                            Boolean.toString(r.getExclusive()), r.getServerSide() ? "server" : "client")).toList());
        }
        return ExitCodes.OK;
    }

    private int decision(final JobDecision decision) {
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(decision);
        } else {
            out.text(decision.getOutcome() + " " + Output.orDash(decision.getJobId())
                    + (decision.getReason().isEmpty() ? "" : ": " + decision.getReason()));
            decision.getConflictsList().forEach(c -> out.text("  conflicts with " + c.getJobId() + " on " + c.getNodeId()
                    + " from " + Output.time(c.getStart()) + " to " + Output.time(c.getEnd())));
            if (decision.hasScheduledStart()) {
                out.text("  new start " + Output.time(decision.getScheduledStart()));
            }
        }
        return decision.getOutcome() == DecisionOutcome.ACCEPTED ? ExitCodes.OK : ExitCodes.CONFLICT;
    }

    private int print(final List<Job> jobs) {
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            jobs.forEach(out::line);
        } else {
            out.table(List.of("ID", "NODE", "TYPE", "SCHEDULE", "START", "END", "LENGTH", "EXCLUSIVE", "SERVER", "OWNER",
                    "VERSION"), jobs.stream().map(j -> List.of(j.getSpec().getId(), String.join(",", j.getAssignedNodeIdsList()),
                    j.getSpec().getType().name(), Output.orDash(j.getSpec().getSchedule()),
                    Output.time(j.getSpec().getStart()), Output.time(j.getSpec().getEnd()),
                    j.getSpec().getLengthSeconds() + "s", Boolean.toString(j.getSpec().getExclusive()),
                    Output.orDash(j.getSpec().getServerNodeId()), j.getOwnerId(), Long.toString(j.getVersion())))
                    .toList());
        }
        return ExitCodes.OK;
    }
}
