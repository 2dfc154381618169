package dev.arcturus.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The update processor of a global store that mirrors a compacted topic: a value is put, a tombstone deletes, and
 * {@code onChange} runs after each (e.g. to tell a ticking processor that its inputs moved).
 */
public final class GlobalStoreMirror<V> implements Processor<String, V, Void, Void> {
    private final String storeName;
    private final Runnable onChange;
    private KeyValueStore<String, V> store;

    public GlobalStoreMirror(final String storeName, final Runnable onChange) {
        this.storeName = storeName;
        this.onChange = onChange;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(final Record<String, V> record) {
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        onChange.run();
    }
}
