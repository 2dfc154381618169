package dev.arcturus.serde;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12 refuses to instantiate classes named in a schema unless they are trusted, which guards against
 * schema-driven class loading. We trust exactly our generated package on top of Avro's defaults, nothing wider.
 */
public final class GeneratedClassTrust {
    /** The one namespace every Arcturus schema lives in. */
    public static final String GENERATED_PACKAGE = "dev.arcturus.avro";

    static {
        final ClassSecurityPredicate ours = type -> GENERATED_PACKAGE.equals(type.getPackageName());
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
    }

    private GeneratedClassTrust() {
    }

    /** Installs the trust once per JVM (class initialisation is thread-safe and runs once). */
    public static void ensureInstalled() {
        // Calling this triggers the static initialiser above.
    }
}
