package dev.arcturus.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a cluster's principals and ACLs what {@link BusAccess} says, as the super user: every principal's SCRAM
 * credential is (re)set from {@link BusCredentials}, missing ACLs are created and any other ACL of a plane principal
 * is deleted, so an upgrade that narrows a grant narrows it on the cluster too. Idempotent; run on every start. It
 * returns once the broker enforces the result and every principal can sign in, so the components started next do not
 * race their own credentials.
 */
public final class BusBootstrap {
    private static final Logger log = LoggerFactory.getLogger(BusBootstrap.class);
    /** Above the SCRAM minimum of 4096; costs the broker a few ms per connection. */
    private static final int SCRAM_ITERATIONS = 8192;

    private BusBootstrap() {
    }

    public static void apply(final Admin admin, final String bootstrap, final BusCredentials credentials,
                             final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        try {
            final List<UserScramCredentialAlteration> upserts = new ArrayList<>();
            for (final BusPrincipal principal : credentials.principals()) {
                if (!principal.equals(BusPrincipal.ADMIN)) {
                    upserts.add(new UserScramCredentialUpsertion(principal.name(),
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                            credentials.password(principal)));
                }
            }
            admin.alterUserScramCredentials(upserts).all().get(remaining(deadline), TimeUnit.MILLISECONDS);

            final Set<AclBinding> wanted = new HashSet<>(BusAccess.bindings());
            final Set<AclBinding> existing = planeAcls(admin, deadline);
            final List<AclBinding> stale = existing.stream().filter(b -> !wanted.contains(b)).toList();
            final List<AclBinding> missing = wanted.stream().filter(b -> !existing.contains(b)).toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale.stream().map(AclBinding::toFilter).toList()).all()
                        .get(remaining(deadline), TimeUnit.MILLISECONDS);
            }
            if (!missing.isEmpty()) {
                admin.createAcls(missing).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
            }
            while (!planeAcls(admin, deadline).equals(wanted)) {
                pause(deadline, "the broker to enforce the plane's ACLs");
            }
            for (final BusPrincipal principal : credentials.principals()) {
                awaitSignIn(bootstrap, credentials, principal, deadline);
            }
            log.info("Bus secured: {} principals, {} ACLs ({} created, {} removed)", BusPrincipal.all().size(),
                    wanted.size(), missing.size(), stale.size());
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set the bus's credentials and ACLs: " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted setting the bus's credentials and ACLs", e);
        }
    }

    /** Every ACL whose principal is one of the plane's. */
    private static Set<AclBinding> planeAcls(final Admin admin, final long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        final Set<AclBinding> acls = new HashSet<>();
        for (final BusPrincipal principal : BusPrincipal.all()) {
            acls.addAll(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter(principal.kafkaPrincipal(), null, AclOperation.ANY,
                            AclPermissionType.ANY))).values().get(remaining(deadline), TimeUnit.MILLISECONDS));
        }
        return acls;
    }

    private static void awaitSignIn(final String bootstrap, final BusCredentials credentials,
                                    final BusPrincipal principal, final long deadline) throws InterruptedException {
        final var config = credentials.clientSettings(principal).clientProperties(bootstrap);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "bus-bootstrap-" + principal.name());
        try (Admin signedIn = Admin.create(config)) {
            while (true) {
                try {
                    signedIn.describeCluster().nodes().get(remaining(deadline), TimeUnit.MILLISECONDS);
                    return;
                } catch (final ExecutionException | TimeoutException notYet) {
                    // A new SCRAM credential reaches the broker's cache through the metadata log, a moment later.
                    pause(deadline, principal + " to sign in (" + notYet.getMessage() + ")");
                }
            }
        }
    }

    private static void pause(final long deadline, final String what) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
        Thread.sleep(100);
    }

    private static long remaining(final long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
