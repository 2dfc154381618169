package dev.arcturus.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobConflict;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Admission's decisions equal a brute-force oracle's over thousands of random job sets: DST zones (including a
 * 30-minute shift), touching runs, long runs starting before short ones, one-shot against cron in both orders,
 * server nodes, modifications and deletions. One topology instance serves every try; each try uses its own nodes.
 */
class AdmissionOracleTest {
    private static final Instant[] DST_WEEKS = {
        Instant.parse("2026-03-28T00:00:00Z"), // Europe spring-forward (Mar 29)
        Instant.parse("2026-10-24T00:00:00Z"), // Europe fall-back (Oct 25)
        Instant.parse("2026-03-07T12:00:00Z"), // US spring-forward (Mar 8)
        Instant.parse("2026-10-31T12:00:00Z"), // US fall-back (Nov 1)
        Instant.parse("2026-10-03T00:00:00Z"), // Lord Howe, 30 minutes (Oct 4)
    };
    private static final String[] ZONES = {"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
        "Asia/Kolkata"};
    private static final int[] LENGTH_MINUTES = {1, 2, 5, 10, 15, 20, 30, 45, 60, 90};
    private static final AtomicInteger TRY = new AtomicInteger();
    private static AdmissionHarness harness;

    private static synchronized AdmissionHarness harness() throws IOException {
        if (harness == null) {
            harness = new AdmissionHarness(new InMemorySchemaRegistryClient(),
                    Files.createTempDirectory("admission-oracle"));
        }
        return harness;
    }

    @AfterContainer
    static void closeHarness() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }

    @Property(tries = 2000)
    void decisionsEqualTheBruteForceOracle(@ForAll final long seed) throws IOException {
        final Random random = new Random(seed);
        final String prefix = "t" + TRY.incrementAndGet();
        final List<String> nodes = List.of(prefix + "-a", prefix + "-b", prefix + "-c");
        final AdmissionHarness admission = harness();
        admission.register(nodes.toArray(String[]::new));
        final Instant base = DST_WEEKS[random.nextInt(DST_WEEKS.length)].plus(Duration.ofHours(random.nextInt(24)));
        final BruteForceOracle oracle = new BruteForceOracle();
        final int steps = 6 + random.nextInt(6);
        for (int i = 0; i < steps; i++) {
            final List<String> ids = new ArrayList<>(oracle.accepted().keySet());
            final double roll = random.nextDouble();
            if (!ids.isEmpty() && roll < 0.1) {
                final String victim = ids.get(random.nextInt(ids.size()));
                final boolean expected = oracle.delete(victim);
                assertThat(outcome(admission.decide(AdmissionHarness.delete(victim)))).isEqualTo(expected);
                continue;
            }
            final boolean modify = !ids.isEmpty() && roll < 0.25;
            final String jobId = modify ? ids.get(random.nextInt(ids.size())) : prefix + "-j" + i;
            final BruteForceOracle.Draft draft = draft(random, jobId, nodes, base);
            final boolean expected = modify ? oracle.modify(draft) : oracle.schedule(draft);
            final JobCommand command = modify ? AdmissionHarness.modify(draft.spec()) : AdmissionHarness.schedule(draft.spec());
            final JobDecision decision = admission.decide(command);
            assertThat(outcome(decision)).as("seed %d step %d %s %s -> %s; oracle conflicts %s", seed, i,
                    command.getType(), draft.spec(), decision.getReason(), oracle.lastConflicts).isEqualTo(expected);
            if (!expected && !decision.getConflicts().isEmpty()) {
                assertThat(decision.getConflicts().stream().map(JobConflict::getJobId).collect(Collectors.toSet()))
                        .as("reported conflicts are real").isSubsetOf(oracle.lastConflicts);
            }
        }
    }

    private static boolean outcome(final JobDecision decision) {
        return decision.getOutcome() == DecisionOutcome.ACCEPTED;
    }

    private static BruteForceOracle.Draft draft(final Random random, final String jobId, final List<String> nodes,
                                                final Instant base) {
        final Instant windowStart = base.plus(Duration.ofMinutes(random.nextInt(24 * 60)));
        final Instant windowEnd = windowStart.plus(Duration.ofHours(6 + random.nextInt(48)));
        final int length = LENGTH_MINUTES[random.nextInt(LENGTH_MINUTES.length)] * 60;
        final String target = nodes.get(random.nextInt(nodes.size()));
        String server = null;
        if (random.nextDouble() < 0.25) {
            final List<String> others = new ArrayList<>(nodes);
            others.remove(target);
            server = others.get(random.nextInt(others.size()));
        }
        final JobSpec.Builder spec = JobSpec.newBuilder().setJobId(jobId).setOwner("alice")
                .setTargetNodeId(target).setServerNodeId(server).setTimeZone(ZONES[random.nextInt(ZONES.length)])
                .setLengthSeconds(length).setExclusive(random.nextDouble() < 0.85);
        if (random.nextDouble() < 0.3) {
            // A one-shot at a random whole minute, with a deadline that may or may not leave room for it.
            final Instant start = windowStart.plus(Duration.ofMinutes(random.nextInt(24 * 60)));
            return new BruteForceOracle.Draft(spec.setKind(JobKind.ONE_SHOT).setWindowStart(start)
                    .setWindowEnd(start.plus(Duration.ofMinutes(random.nextInt(3 * length / 60 + 1))))
                    .build(), null, null, null);
        }
        final Set<Integer> minutes = random.nextBoolean() ? stepped(random) : pick(random, 60, 1 + random.nextInt(3));
        final Set<Integer> hours = random.nextDouble() < 0.6 ? null : pick(random, 24, 1 + random.nextInt(6));
        final Set<Integer> days = random.nextDouble() < 0.8 ? null : pick(random, 7, 2 + random.nextInt(4));
        final String schedule = join(minutes) + " " + (hours == null ? "*" : join(hours)) + " * * "
                + (days == null ? "*" : join(days));
        return new BruteForceOracle.Draft(spec.setKind(JobKind.CRON).setSchedule(schedule)
                .setWindowStart(windowStart).setWindowEnd(windowEnd).build(), minutes, hours, days);
    }

    private static Set<Integer> stepped(final Random random) {
        final int[] steps = {5, 10, 15, 20, 30};
        final int step = steps[random.nextInt(steps.length)];
        final Set<Integer> minutes = new TreeSet<>();
        for (int m = 0; m < 60; m += step) {
            minutes.add(m);
        }
        return minutes;
    }

    private static Set<Integer> pick(final Random random, final int bound, final int count) {
        final Set<Integer> values = new TreeSet<>();
        while (values.size() < count) {
            values.add(random.nextInt(bound));
        }
        return values;
    }

    private static String join(final Set<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

}
