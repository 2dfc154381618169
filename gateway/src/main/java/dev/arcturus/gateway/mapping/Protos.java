package dev.arcturus.gateway.mapping;

import dev.arcturus.avro.JobConflict;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.MissedRunPolicy;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.UserRole;
import dev.arcturus.gateway.api.v1.Conflict;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.GlobalConfig;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobDecision;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.LivenessState;
import dev.arcturus.gateway.api.v1.Node;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.Run;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.Task;
import dev.arcturus.gateway.api.v1.TaskStatus;
import dev.arcturus.gateway.api.v1.TaskType;
import dev.arcturus.gateway.api.v1.User;
import dev.arcturus.gateway.client.Timestamps;

/** Avro records (the plane's truth) to protobuf messages (the API) and back. */
public final class Protos {

    private Protos() {
    }

    public static Role role(final UserRole role) {
        return switch (role) {
            case ADMIN -> Role.ADMIN;
            case USER -> Role.USER;
            case USER_PRIV -> Role.USER_PRIV;
            case NODE -> Role.NODE;
            case NODE_PRIV -> Role.NODE_PRIV;
            default -> Role.ROLE_UNSPECIFIED;
        };
    }

    public static UserRole role(final Role role) {
        return switch (role) {
            case ADMIN -> UserRole.ADMIN;
            case USER -> UserRole.USER;
            case USER_PRIV -> UserRole.USER_PRIV;
            case NODE -> UserRole.NODE;
            case NODE_PRIV -> UserRole.NODE_PRIV;
            default -> UserRole.UNKNOWN;
        };
    }

    public static User user(final dev.arcturus.avro.User user) {
        final User.Builder view = User.newBuilder().setId(user.getUserId()).setName(user.getName())
                .setRole(role(user.getRole())).setTeam(nonNull(user.getTeam())).setHasToken(user.getTokenHash() != null);
        if (user.getTokenIssuedAt() != null) {
            view.setTokenIssuedAt(Timestamps.of(user.getTokenIssuedAt()));
        }
        if (user.getTokenExpiresAt() != null) {
            view.setTokenExpiresAt(Timestamps.of(user.getTokenExpiresAt()));
        }
        return view.build();
    }

    public static Job job(final dev.arcturus.avro.JobState state) {
        final dev.arcturus.avro.JobSpec spec = state.getSpec();
        final JobSpec.Builder view = JobSpec.newBuilder().setId(spec.getJobId()).setNodeId(nonNull(spec.getTargetNodeId()))
                .setType(spec.getKind() == JobKind.CRON ? JobType.CRON : JobType.ONE_SHOT)
                .setSchedule(nonNull(spec.getSchedule())).setStart(Timestamps.of(spec.getWindowStart()))
                .setEnd(Timestamps.of(spec.getWindowEnd())).setLengthSeconds(spec.getLengthSeconds())
                .setExclusive(spec.getExclusive()).setServerNodeId(nonNull(spec.getServerNodeId()))
                .setTrigger(nonNull(spec.getTrigger())).setConfig(spec.getExperimentConfig())
                .setTimeZone(spec.getTimeZone())
                .setMissedRunPolicy(spec.getMissedRunPolicy() == MissedRunPolicy.RUN_ONCE_LATE
                        ? dev.arcturus.gateway.api.v1.MissedRunPolicy.RUN_ONCE_LATE
                        : dev.arcturus.gateway.api.v1.MissedRunPolicy.SKIP)
                .setStartingDeadlineSeconds(spec.getStartingDeadlineSeconds() == null ? 0
                        : spec.getStartingDeadlineSeconds());
        if (spec.getSelector() != null) {
            view.setSelector(dev.arcturus.gateway.api.v1.NodeSelector.newBuilder()
                    .setRegion(nonNull(spec.getSelector().getRegion())).addAllTags(spec.getSelector().getTags())
                    .setCount(spec.getSelector().getCount()));
        }
        return Job.newBuilder().setSpec(view).setOwnerId(spec.getOwner()).setVersion(state.getVersion())
                .addAllAssignedNodeIds(state.getAssignedNodeIds()).build();
    }

    public static dev.arcturus.gateway.api.v1.PlacementAction placementAction(
            final dev.arcturus.avro.PlacementAction action) {
        return dev.arcturus.gateway.api.v1.PlacementAction.newBuilder().setActionId(action.getActionId())
                .setType(action.getType().name()).setJobId(action.getJobId())
                .addAllFromNodeIds(action.getFromNodeIds()).addAllToNodeIds(action.getToNodeIds())
                .setReason(action.getReason()).setTick(action.getTick())
                .setImbalanceBefore(action.getImbalanceBefore()).setImbalanceAfter(action.getImbalanceAfter())
                .setAt(Timestamps.of(action.getMetadata().getOccurredAt())).build();
    }

    public static JobDecision decision(final dev.arcturus.avro.JobDecision decision) {
        final JobDecision.Builder view = JobDecision.newBuilder().setCommandId(decision.getCommandId())
                .setJobId(nonNull(decision.getJobId()))
                .setOutcome(decision.getOutcome() == dev.arcturus.avro.DecisionOutcome.ACCEPTED
                        ? DecisionOutcome.ACCEPTED : DecisionOutcome.REJECTED)
                .setReason(nonNull(decision.getReason()))
                .setJobVersion(decision.getJobVersion() == null ? 0 : decision.getJobVersion());
        for (final JobConflict conflict : decision.getConflicts()) {
            view.addConflicts(Conflict.newBuilder().setJobId(conflict.getJobId()).setNodeId(conflict.getNodeId())
                    .setStart(Timestamps.of(conflict.getOverlapStart())).setEnd(Timestamps.of(conflict.getOverlapEnd())));
        }
        if (decision.getScheduledStart() != null) {
            view.setScheduledStart(Timestamps.of(decision.getScheduledStart()));
        }
        return view.build();
    }

    public static Run run(final RunState run) {
        final Run.Builder view = Run.newBuilder().setRunId(run.getRunId()).setJobId(run.getJobId())
                .setNodeId(run.getNodeId()).setOwnerId(run.getOwnerId()).setScheduledAt(Timestamps.of(run.getScheduledAt()))
                .setStatus(RunStatus.valueOf(run.getStatus().name())).setStatusMessage(nonNull(run.getStatusMessage()))
                .setLastUpdated(Timestamps.of(run.getLastUpdated())).setArtifactUrl(nonNull(run.getArtifactBlob()));
        if (run.getStartedAt() != null) {
            view.setStartedAt(Timestamps.of(run.getStartedAt()));
        }
        if (run.getEndedAt() != null) {
            view.setEndedAt(Timestamps.of(run.getEndedAt()));
        }
        if (run.getExitCode() != null) {
            view.setExitCode(run.getExitCode()).setHasExitCode(true);
        }
        return view.build();
    }

    public static Node node(final NodeRegistration node, final NodeLiveness liveness) {
        final Node.Builder view = Node.newBuilder().setId(node.getNodeId())
                .setName(node.getHostname() == null ? node.getNodeId() : node.getHostname())
                .setDescription(nonNull(node.getDescription())).setIp(node.getIp()).setRegion(node.getRegion())
                .setCoords(node.getCoords() == null ? ""
                        : node.getCoords().getLatitude() + "," + node.getCoords().getLongitude())
                .setLocation(nonNull(node.getLocation())).setProvider(nonNull(node.getProvider()))
                .setPublicIp(nonNull(node.getPublicIp())).addAllTags(node.getTags())
                .setScavengerModeActive(node.getScavengerModeActive())
                .setRegisteredAt(Timestamps.of(node.getRegisteredAt()))
                .setNodeRole(switch (node.getRole()) {
                    case CONTROLLER -> dev.arcturus.gateway.api.v1.NodeRole.CONTROLLER;
                    case PROXY -> dev.arcturus.gateway.api.v1.NodeRole.PROXY;
                    case MEASUREMENT -> dev.arcturus.gateway.api.v1.NodeRole.MEASUREMENT;
                    default -> dev.arcturus.gateway.api.v1.NodeRole.NODE_ROLE_UNSPECIFIED;
                });
        if (liveness != null) {
            view.setLiveness(livenessState(liveness.getState()))
                    .setLastActive(Timestamps.of(liveness.getLastActive())).setFlapCount(liveness.getFlapCount());
        }
        return view.build();
    }

    public static dev.arcturus.gateway.api.v1.LivenessEvent livenessEvent(final NodeLiveness liveness) {
        return dev.arcturus.gateway.api.v1.LivenessEvent.newBuilder().setNodeId(liveness.getNodeId())
                .setState(livenessState(liveness.getState())).setSince(Timestamps.of(liveness.getSince()))
                .setLastActive(Timestamps.of(liveness.getLastActive())).setFlapCount(liveness.getFlapCount()).build();
    }

    public static LivenessState livenessState(final dev.arcturus.avro.LivenessState state) {
        return state == dev.arcturus.avro.LivenessState.UNKNOWN ? LivenessState.LIVENESS_STATE_UNSPECIFIED
                : LivenessState.valueOf(state.name());
    }

    public static Task task(final dev.arcturus.avro.Task task) {
        return Task.newBuilder().setTaskId(task.getTaskId()).setType(TaskType.valueOf(task.getType().name()))
                .setStatus(taskStatus(task.getStatus())).setRunId(task.getRunId()).setJobId(task.getJobId())
                .setNodeId(task.getNodeId()).setTtlSeconds(task.getTtlSeconds())
                .setExpiresAt(Timestamps.of(task.getExpiresAt())).build();
    }

    public static TaskStatus taskStatus(final dev.arcturus.avro.TaskStatus status) {
        return switch (status) {
            case SCHEDULED -> TaskStatus.TASK_SCHEDULED;
            case COMPLETE -> TaskStatus.TASK_COMPLETE;
            case FAILED -> TaskStatus.TASK_FAILED;
            case EXPIRED -> TaskStatus.TASK_EXPIRED;
            default -> TaskStatus.TASK_STATUS_UNSPECIFIED;
        };
    }

    public static dev.arcturus.avro.TaskStatus taskStatus(final TaskStatus status) {
        return switch (status) {
            case TASK_SCHEDULED -> dev.arcturus.avro.TaskStatus.SCHEDULED;
            case TASK_COMPLETE -> dev.arcturus.avro.TaskStatus.COMPLETE;
            case TASK_FAILED -> dev.arcturus.avro.TaskStatus.FAILED;
            case TASK_EXPIRED -> dev.arcturus.avro.TaskStatus.EXPIRED;
            default -> dev.arcturus.avro.TaskStatus.UNKNOWN;
        };
    }

    public static GlobalConfig config(final dev.arcturus.avro.GlobalConfig config) {
        return GlobalConfig.newBuilder().setVersion(config.getVersion())
                .setArtifactContainer(config.getArtifactContainer())
                .setArtifactPathPrefix(config.getArtifactPathPrefix())
                .setArtifactLinkValiditySeconds(config.getArtifactLinkValiditySeconds())
                .putAllSettings(config.getSettings()).build();
    }

    public static String nonNull(final String value) {
        return value == null ? "" : value;
    }

    /** A path selection as plane.proto has it. */
    public static dev.arcturus.gateway.api.v1.PathSelection pathSelection(final dev.arcturus.avro.PathSelection selection) {
        final var view = dev.arcturus.gateway.api.v1.PathSelection.newBuilder()
                .setSourceRegion(selection.getSourceRegion()).setDomain(selection.getDomain())
                .setOriginIp(selection.getOriginIp()).setKind(selection.getKind())
                .setSourceNode(selection.getSourceNodeId() == null ? "" : selection.getSourceNodeId())
                .setDestinationRegion(selection.getDestinationRegion() == null ? "" : selection.getDestinationRegion())
                .putAllLastMileWeights(selection.getLastMileWeights())
                .setComputedAt(Timestamps.of(selection.getComputedAt()))
                .setAlgorithm(selection.getAlgorithm() == null ? "" : selection.getAlgorithm());
        for (final dev.arcturus.avro.RoutedPath path : selection.getPaths()) {
            view.addRoutes(dev.arcturus.gateway.api.v1.Route.newBuilder().addAllNodeIds(path.getHops())
                    .setCost(path.getCost()));
        }
        for (final dev.arcturus.avro.FlowPath path : selection.getMultipath()) {
            view.addMultipath(dev.arcturus.gateway.api.v1.Route.newBuilder().addAllNodeIds(path.getHops())
                    .setCost(path.getLatencyMs()).setWeight(path.getFlow()));
        }
        return view.build();
    }
}
