package dev.arcturus.gateway.watch;

import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream position: the next offset of every partition of the watched topic, as an opaque token. A client that
 * reconnects with the token of the last event it handled receives exactly the events after it.
 */
final class ResumeTokens {

    private ResumeTokens() {
    }

    static String encode(final Map<Integer, Long> nextOffsets) {
        final StringBuilder text = new StringBuilder();
        new TreeMap<>(nextOffsets).forEach((partition, offset) -> {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(partition).append(':').append(offset);
        });
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<Integer, Long> decode(final String token) {
        final Map<Integer, Long> offsets = new TreeMap<>();
        try {
            final String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            for (final String part : text.split(",")) {
                final String[] pair = part.split(":");
                offsets.put(Integer.parseInt(pair[0]), Long.parseLong(pair[1]));
            }
        } catch (final IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw Status.INVALID_ARGUMENT.withDescription("resume_token: not a token from this stream")
                    .asRuntimeException();
        }
        return offsets;
    }
}
