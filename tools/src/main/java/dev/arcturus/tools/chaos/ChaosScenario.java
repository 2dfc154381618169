package dev.arcturus.tools.chaos;

import java.util.concurrent.Callable;

/** A fault scenario: {@link #run()} does it and says what it proved; as a command it prints that and exits 0 or 1. */
public abstract class ChaosScenario implements Callable<Integer> {

    /** Runs the scenario against a plane of its own and reports what was lost, duplicated and measured. */
    public abstract ChaosReport run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        return run().print();
    }
}
