package dev.arcturus.admission;

/** Names of the admission app's state stores and processors: every one explicit, so upgrades keep their state. */
public final class AdmissionStores {
    /** jobId → JobLedger: the accepted version, the in-flight command, the queue behind it. */
    public static final String JOB_LEDGER_STORE = "job-ledger-store";
    /** commandId → JobDecision: answers retries with the decision already made. */
    public static final String COMMAND_DECISION_STORE = "command-decision-store";
    /** nodeId → NodeCalendarState: jobs on the node, its registration, the lock held on it. */
    public static final String NODE_CALENDAR_STORE = "node-calendar-store";
    /** userId → User (global, from identity.user.v1): who is an ADMIN, for the requester check. */
    public static final String USERS_STORE = "admission-users-store";

    static final String COMMAND_SOURCE = "job-command-source";
    static final String RESULT_SOURCE = "admission-result-source";
    static final String STEP_SOURCE = "admission-node-step-source";
    static final String REGISTRATION_SOURCE = "node-registration-source";
    /** The router and the node calendars, one processor (AdmissionProcessor). */
    static final String ADMISSION = "job-admission";
    static final String NODE_REGISTRATIONS = "node-registrations";
    static final String DECISION_SINK = "job-decision-sink";
    static final String STATE_SINK = "job-state-sink";
    static final String STEP_SINK = "admission-node-step-sink";
    static final String RESULT_SINK = "admission-result-sink";
    static final String COMMAND_SINK = "job-command-sink";
    static final String NODE_DECISION_SINK = "node-decision-sink";
    static final String USERS = "admission-users";
    static final String REQUEST_SOURCE = "client-request-source";
    static final String REQUEST_RELAY = "client-request-relay";
    static final String REQUEST_SINK = "client-request-sink";

    private AdmissionStores() {
    }
}
