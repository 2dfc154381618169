package dev.arcturus.gateway.watch;

import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.Task;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.api.v1.Assignment;
import dev.arcturus.gateway.api.v1.JobEvent;
import dev.arcturus.gateway.api.v1.LivenessEvent;
import dev.arcturus.gateway.api.v1.PathEvent;
import dev.arcturus.gateway.api.v1.PlacementEvent;
import dev.arcturus.gateway.api.v1.RunEvent;
import dev.arcturus.gateway.api.v1.WatchPathsRequest;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.auth.Caller;
import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.mapping.Protos;
import dev.arcturus.gateway.mapping.Visibility;
import dev.arcturus.gateway.state.PlaneView;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The server-streaming watches. Event streams (job decisions, run changes, liveness transitions) follow their topic
 * from a resume token; a node's assignments are state, so a (re)connecting node first gets the full current set of
 * its jobs and tasks, then every change — nothing is polled.
 */
public final class Watches implements AutoCloseable {
    private final PlaneEndpoints endpoints;
    private final PlaneView view;
    private final StreamGuard guard;
    private final Map<String, String> ownerByJobId = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        final Thread thread = new Thread(r, "gateway-watch");
        thread.setDaemon(true);
        return thread;
    });

    public Watches(final PlaneEndpoints endpoints, final PlaneView view, final StreamGuard guard) {
        this.endpoints = endpoints;
        this.view = view;
        this.guard = guard;
        // Decisions carry no owner; remember each job's owner (deleted jobs included) to filter them.
        view.addListener((topic, key, value) -> {
            if (value instanceof JobState job) {
                ownerByJobId.put(key, job.getSpec().getOwner());
            }
        });
        view.all(TopicCatalog.JOB_STATE).forEach(job -> ownerByJobId.put(job.getJobId(), job.getSpec().getOwner()));
    }

    public void jobEvents(final Principal caller, final WatchRequest request, final StreamObserver<JobEvent> client) {
        start(client, () -> new TopicWatch<>(endpoints, TopicCatalog.JOB_DECISION, request.getResumeToken(), client,
                (record, token) -> visibleDecision(caller, record.value())
                        .map(d -> JobEvent.newBuilder().setDecision(Protos.decision(d))
                                .setResumeToken(token).build()),
                token -> JobEvent.newBuilder().setBookmark(true).setResumeToken(token).build(), guarded(client)));
    }

    private Optional<JobDecision> visibleDecision(final Principal caller, final JobDecision decision) {
        if (decision == null) {
            return Optional.empty();
        }
        // The decision names who asked and the owner it was asked for, so a rejected job (which never reaches the
        // job-state view) and a new job (whose state may reach this gateway after its decision) are not missed.
        final boolean mine = caller.id().equals(decision.getRequestedBy()) || caller.id().equals(decision.getOwner())
                || (decision.getJobId() != null && caller.id().equals(ownerByJobId.get(decision.getJobId())));
        return caller.isAdmin() || mine ? Optional.of(decision) : Optional.empty();
    }

    public void placementActions(final Principal caller, final WatchRequest request,
                                 final StreamObserver<PlacementEvent> client) {
        start(client, () -> new TopicWatch<>(endpoints, TopicCatalog.PLACEMENT_ACTION, request.getResumeToken(), client,
                (record, token) -> Optional.ofNullable(record.value())
                        .filter(action -> caller.isAdmin() || caller.id().equals(ownerByJobId.get(action.getJobId())))
                        .map(action -> PlacementEvent.newBuilder().setAction(Protos.placementAction(action))
                                .setResumeToken(token).build()),
                token -> PlacementEvent.newBuilder().setBookmark(true).setResumeToken(token).build(), guarded(client)));
    }

    public void runs(final Principal caller, final WatchRequest request, final StreamObserver<RunEvent> client) {
        start(client, () -> new TopicWatch<>(endpoints, TopicCatalog.RUN_STATE, request.getResumeToken(), client,
                (record, token) -> Optional.ofNullable(record.value())
                        .filter(run -> Visibility.canSee(caller, run, jobId -> view.get(TopicCatalog.JOB_STATE, jobId)))
                        .filter(run -> request.getNodeId().isEmpty() || request.getNodeId().equals(run.getNodeId()))
                        .map(run -> RunEvent.newBuilder().setRun(Protos.run(run))
                                .setResumeToken(token).build()),
                token -> RunEvent.newBuilder().setBookmark(true).setResumeToken(token).build(), guarded(client)));
    }

    public void liveness(final WatchRequest request, final StreamObserver<LivenessEvent> client) {
        start(client, () -> new TopicWatch<>(endpoints, TopicCatalog.NODE_LIVENESS, request.getResumeToken(), client,
                (record, token) -> Optional.ofNullable(record.value())
                        .filter(l -> request.getNodeId().isEmpty() || request.getNodeId().equals(l.getNodeId()))
                        .map(l -> livenessEvent(l, token)),
                token -> LivenessEvent.newBuilder().setBookmark(true).setResumeToken(token).build(), guarded(client)));
    }

    /**
     * Path selections from a region or a node as the path-selection app publishes them: a new or changed selection,
     * or the key of one no longer computed.
     */
    public void paths(final WatchPathsRequest request, final StreamObserver<PathEvent> client) {
        start(client, () -> new TopicWatch<>(endpoints, TopicCatalog.PATH_SELECTION, request.getResumeToken(), client,
                (record, token) -> Optional.of(record.key()).filter(key -> fromSource(key, request)).map(key -> {
                    final PathEvent.Builder event = PathEvent.newBuilder().setSelectionKey(key).setResumeToken(token);
                    return record.value() == null ? event.setRemoved(key).build()
                            : event.setSelection(Protos.pathSelection(record.value())).build();
                }),
                token -> PathEvent.newBuilder().setBookmark(true).setResumeToken(token).build(), guarded(client)));
    }

    /** Keys: {@code <region>|<domain>}, {@code <region>|region:<region2>}, {@code node:<node>|<domain>}. */
    private boolean fromSource(final String key, final WatchPathsRequest request) {
        final int bar = key.indexOf('|');
        if (bar < 0) {
            return false;
        }
        final String source = key.substring(0, bar);
        if (!request.getNodeId().isEmpty()) {
            return source.equals("node:" + request.getNodeId());
        }
        if (request.getRegion().isEmpty()) {
            return true;
        }
        if (source.startsWith("node:")) {
            // A node's own paths belong to its region's watchers too.
            return view.get(TopicCatalog.NODE_REGISTRATION, source.substring("node:".length()))
                    .map(node -> node.getRegion().equals(request.getRegion())).orElse(false);
        }
        return source.equals(request.getRegion());
    }

    private static LivenessEvent livenessEvent(final NodeLiveness liveness, final String token) {
        return Protos.livenessEvent(liveness).toBuilder().setResumeToken(token).build();
    }

    /** The current call's stream behind the guard: it ends if the caller's token or role changes while it is open. */
    private <E> Function<Runnable, StreamObserver<E>> guarded(final StreamObserver<E> client) {
        final Principal principal = Caller.current();
        final String tokenHash = Caller.tokenHash();
        return onRevoked -> guard.guard((ServerCallStreamObserver<E>) client, principal, tokenHash, onRevoked);
    }

    /** A node's jobs and tasks: the current set first, then each change, pushed from the view. */
    public void assignments(final String nodeId, final StreamObserver<Assignment> client) {
        final ServerCallStreamObserver<Assignment> stream = (ServerCallStreamObserver<Assignment>) client;
        final Object lock = new Object();
        // The jobs this stream has shown the node: a job that leaves the node (deleted, or moved by placement)
        // must be withdrawn, and only those, so nodes are not told about every other job's deletion.
        final Set<String> shown = ConcurrentHashMap.newKeySet();
        final AtomicReference<PlaneView.ViewListener> registered = new AtomicReference<>();
        final StreamObserver<Assignment> out = this.<Assignment>guarded(client).apply(() -> {
            final PlaneView.ViewListener listener = registered.get();
            if (listener != null) {
                view.removeListener(listener);
            }
        });
        final PlaneView.ViewListener listener = (topic, key, value) -> {
            final Assignment change = assignment(nodeId, topic.name(), key, value, shown);
            if (change != null) {
                synchronized (lock) {
                    out.onNext(change);
                }
            }
        };
        registered.set(listener);
        stream.setOnCancelHandler(() -> view.removeListener(listener));
        synchronized (lock) {
            view.addListener(listener);
            view.get(TopicCatalog.NODE_REGISTRATION, nodeId).ifPresent(node -> out.onNext(Assignment.newBuilder()
                    .setNode(Protos.node(node, view.get(TopicCatalog.NODE_LIVENESS, nodeId).orElse(null))).build()));
            view.all(TopicCatalog.JOB_STATE).stream().filter(job -> Visibility.onNode(job, nodeId))
                    .forEach(job -> {
                        shown.add(job.getJobId());
                        out.onNext(Assignment.newBuilder().setJob(Protos.job(job)).build());
                    });
            view.all(TopicCatalog.TASK).stream().filter(task -> concerns(task, nodeId))
                    .forEach(task -> out.onNext(Assignment.newBuilder()
                            .setTask(Protos.task(task)).build()));
            out.onNext(Assignment.newBuilder().setBookmark(true).build());
        }
    }

    private Assignment assignment(final String nodeId, final String topic, final String key, final Object value,
                                  final Set<String> shown) {
        if (topic.equals(TopicCatalog.JOB_STATE.name())) {
            if (value instanceof JobState job && Visibility.onNode(job, nodeId)) {
                shown.add(key);
                return Assignment.newBuilder().setJob(Protos.job(job)).build();
            }
            return shown.remove(key) ? Assignment.newBuilder().setDeletedJobId(key).build() : null;
        }
        if (topic.equals(TopicCatalog.NODE_REGISTRATION.name()) && nodeId.equals(key) && value != null) {
            return Assignment.newBuilder().setNode(Protos.node((dev.arcturus.avro.NodeRegistration) value,
                    view.get(TopicCatalog.NODE_LIVENESS, nodeId).orElse(null))).build();
        }
        if (topic.equals(TopicCatalog.TASK.name()) && value instanceof Task task && concerns(task, nodeId)) {
            return Assignment.newBuilder().setTask(Protos.task(task)).build();
        }
        return null;
    }

    /** Tasks a node must act on, and the ones it sent as its job's client (to see them completed at once). */
    private boolean concerns(final Task task, final String nodeId) {
        return nodeId.equals(task.getNodeId()) || view.get(TopicCatalog.JOB_STATE, task.getJobId())
                .map(job -> dev.arcturus.gateway.mapping.Visibility.isClient(job, nodeId)).orElse(false);
    }

    private <E> void start(final StreamObserver<E> client, final java.util.function.Supplier<Runnable> watch) {
        try {
            threads.execute(watch.get());
        } catch (final io.grpc.StatusRuntimeException e) {
            client.onError(e);
        } catch (final RuntimeException e) {
            client.onError(Status.UNAVAILABLE.withDescription("cannot start the watch: " + e.getMessage())
                    .asRuntimeException());
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
