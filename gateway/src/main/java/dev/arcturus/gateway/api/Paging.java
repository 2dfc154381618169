package dev.arcturus.gateway.api;

import dev.arcturus.gateway.api.v1.PageRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset paging over results sorted by a unique key: the page token is the (opaque) key of the last item returned,
 * so pages stay stable while entities are added or removed between calls.
 */
final class Paging {
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1_000;

    private Paging() {
    }

    record Page<T>(List<T> items, String nextPageToken) {
    }

    /** {@code sorted} must be sorted by {@code sortKey} ascending, and the key must be unique. */
    static <T> Page<T> page(final List<T> sorted, final Function<T, String> sortKey, final PageRequest request) {
        final int size = size(request.getPageSize());
        final String after = request.getPageToken().isEmpty() ? null : decode(request.getPageToken());
        int from = 0;
        if (after != null) {
            while (from < sorted.size() && sortKey.apply(sorted.get(from)).compareTo(after) <= 0) {
                from++;
            }
        }
        final int to = Math.min(sorted.size(), from + size);
        final List<T> items = sorted.subList(from, to);
        final String next = to < sorted.size() && !items.isEmpty() ? encode(sortKey.apply(items.get(items.size() - 1))) : "";
        return new Page<>(List.copyOf(items), next);
    }

    static int size(final int requested) {
        if (requested < 0 || requested > MAX_PAGE_SIZE) {
            throw Requests.invalid("page.page_size", "must be 0 (default " + DEFAULT_PAGE_SIZE + ") to " + MAX_PAGE_SIZE
                    + ", was " + requested);
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : requested;
    }

    static String encode(final String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(final String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            throw Requests.invalid("page.page_token", "not a token returned by this RPC");
        }
    }
}
