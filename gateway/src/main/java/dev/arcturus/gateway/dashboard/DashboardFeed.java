package dev.arcturus.gateway.dashboard;

import com.sun.net.httpserver.HttpExchange;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.PlacementAction;
import dev.arcturus.avro.RunState;
import dev.arcturus.gateway.state.PlaneView;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;

/**
 * Fans the view's changes out to every open event stream (Server-Sent Events). A stream first registers, then gets
 * the snapshot, then the changes: a change between the two arrives twice, which is harmless (every event carries the
 * whole entity), but none is lost. A browser too slow to keep up is disconnected; its EventSource reconnects and
 * starts over from a fresh snapshot.
 */
final class DashboardFeed implements PlaneView.ViewListener, AutoCloseable {
    private static final int QUEUE_CAPACITY = 10_000;
    private static final long KEEPALIVE_SECONDS = 15;
    private static final String CLOSE = "";

    private final PlaneView view;
    private final DashboardViews views;
    private final Set<BlockingQueue<String>> streams = new CopyOnWriteArraySet<>();
    private volatile boolean closing;

    DashboardFeed(final PlaneView view, final DashboardViews views) {
        this.view = view;
        this.views = views;
        view.addListener(this);
    }

    @Override
    public void changed(final Topic<?> topic, final String key, final SpecificRecord value) {
        final String event = event(topic, key, value);
        if (event == null) {
            return;
        }
        for (final BlockingQueue<String> stream : streams) {
            if (!stream.offer(event)) {
                streams.remove(stream);
                stream.clear();
                stream.offer(CLOSE); // too far behind: end it; the browser reconnects to a fresh snapshot
            }
        }
    }

    private String event(final Topic<?> topic, final String key, final SpecificRecord value) {
        final String name = topic.name();
        if (name.equals(TopicCatalog.NODE_REGISTRATION.name()) || name.equals(TopicCatalog.NODE_LIVENESS.name())) {
            return sse("node", views.node(key));
        }
        if (name.equals(TopicCatalog.RUN_STATE.name()) && value != null) {
            return sse("run", views.run((RunState) value));
        }
        if (name.equals(TopicCatalog.PATH_SELECTION.name())) {
            views.pathChanged((PathSelection) value);
            return DashboardViews.regionPath(key, (PathSelection) value).map(json -> sse("path", json)).orElse(null);
        }
        if (name.equals(TopicCatalog.PLACEMENT_ACTION.name()) && value != null) {
            return sse("action", DashboardViews.action((PlacementAction) value));
        }
        return null;
    }

    private static String sse(final String event, final String json) {
        return "event: " + event + "\ndata: " + json + "\n\n";
    }

    /** Streams to one browser until it goes away or the server stops; runs on that request's own thread. */
    void stream(final HttpExchange exchange) throws IOException {
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        streams.add(queue);
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("X-Accel-Buffering", "no"); // proxies must not buffer the stream
            exchange.sendResponseHeaders(200, 0);
            final OutputStream out = exchange.getResponseBody();
            write(out, "retry: 1000\n" + sse("snapshot", views.snapshot()));
            while (!closing) {
                final String next = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                if (next == CLOSE) {
                    return;
                }
                write(out, next == null ? ": keep-alive\n\n" : next);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.remove(queue);
        }
    }

    private static void write(final OutputStream out, final String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        closing = true;
        view.removeListener(this);
        streams.forEach(q -> q.offer(CLOSE));
    }
}
