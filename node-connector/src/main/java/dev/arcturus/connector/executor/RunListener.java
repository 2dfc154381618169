package dev.arcturus.connector.executor;

/** Progress of one execution, for run updates. */
public interface RunListener {

    /** The container image is being made available (present locally, or pulled). */
    void deploying(String message);

    /** The container started. */
    void executing(String containerId);

    RunListener NONE = new RunListener() {
        @Override
        public void deploying(final String message) {
        }

        @Override
        public void executing(final String containerId) {
        }
    };
}
