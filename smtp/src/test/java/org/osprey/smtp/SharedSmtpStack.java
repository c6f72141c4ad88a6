package org.osprey.smtp;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes ({@code @ExtendWith(SharedSmtpStack.class)}) one {@link SmtpStack} for the whole test run as a
 * parameter of their methods or constructors; it is closed when the run ends. Starting the stack (database
 * migrations, password hashes, the certificate) costs about a second, so the module's tests share it.
 */
final class SharedSmtpStack implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedSmtpStack.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SmtpStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(SmtpStack.class, type -> {
            try {
                return SmtpStack.start();
            } catch (Exception e) {
                throw new ParameterResolutionException("cannot start the SMTP stack: " + e, e);
            }
        }, SmtpStack.class);
    }
}
