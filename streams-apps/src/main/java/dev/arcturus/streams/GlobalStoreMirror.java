package dev.arcturus.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The update processor of a global store that mirrors a compacted topic: a value is put, a tombstone deletes, and
 * {@code onChange} sees each key and new value (null for a tombstone), e.g. to tell a ticking processor what moved.
 */
public final class GlobalStoreMirror<V> implements Processor<String, V, Void, Void> {
    private final String storeName;
    private final java.util.function.BiConsumer<String, V> onChange;
    private KeyValueStore<String, V> store;

    public GlobalStoreMirror(final String storeName, final Runnable onChange) {
        this(storeName, (key, value) -> onChange.run());
    }

    public GlobalStoreMirror(final String storeName, final java.util.function.BiConsumer<String, V> onChange) {
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
        onChange.accept(record.key(), record.value());
    }
}
