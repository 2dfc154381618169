package dev.arcturus.events;

import java.util.regex.Pattern;

/** The plane's rules for the ids and addresses its records carry, shared by every place that checks them. */
public final class EntityIds {
    /** A node, user or job id: 1-128 letters, digits and . _ : @ -, starting with a letter or digit. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    /** An IPv4 or IPv6 address's characters (a loose check; the plane never resolves it). */
    public static final Pattern IP = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

    private EntityIds() {
    }
}
