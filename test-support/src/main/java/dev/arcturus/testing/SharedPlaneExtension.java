package dev.arcturus.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Injects the JVM-wide {@link SharedPlane} into test constructors and methods; it starts on first use. */
public final class SharedPlaneExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == SharedPlane.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return SharedPlane.instance();
    }
}
