package dev.arcturus.gateway.state;

import dev.arcturus.avro.User;
import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.auth.PrincipalDirectory;
import dev.arcturus.topics.TopicCatalog;
import java.time.Clock;
import java.util.Optional;

/** Principals from the users in the view: a token counts only while it is the user's current, unexpired one. */
public final class ViewDirectory implements PrincipalDirectory {
    private final PlaneView view;
    private final Clock clock;

    public ViewDirectory(final PlaneView view, final Clock clock) {
        this.view = view;
        this.clock = clock;
    }

    @Override
    public Optional<Principal> byTokenHash(final String tokenHash) {
        return view.userIdByTokenHash(tokenHash)
                .flatMap(id -> view.get(TopicCatalog.USER, id))
                .filter(user -> tokenHash.equals(user.getTokenHash()))
                .filter(this::notExpired)
                .map(user -> new Principal(user.getUserId(), user.getRole()));
    }

    private boolean notExpired(final User user) {
        return user.getTokenExpiresAt() == null || user.getTokenExpiresAt().isAfter(clock.instant());
    }
}
