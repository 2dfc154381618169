package dev.arcturus.gateway.auth;

import dev.arcturus.avro.UserRole;

/** Who is calling: a user or a node (whose user id is its node id), with the role that decides what it may do. */
public record Principal(String id, UserRole role) {

    public boolean isAdmin() {
        return role == UserRole.ADMIN;
    }

    public boolean isNode() {
        return role == UserRole.NODE || role == UserRole.NODE_PRIV;
    }

    public boolean isUser() {
        return role == UserRole.USER || role == UserRole.USER_PRIV;
    }

    /** Whether the kernel service honours this principal's jobs (LEOScope's kernel_access). */
    public boolean isPrivileged() {
        return role == UserRole.ADMIN || role == UserRole.USER_PRIV || role == UserRole.NODE_PRIV;
    }
}
