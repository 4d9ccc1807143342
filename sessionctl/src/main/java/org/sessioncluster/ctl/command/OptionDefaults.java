package org.sessioncluster.ctl.command;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults of shared options that differ per command: a mixin ({@link VirtualUserOptions}, {@link ReportOptions},
 * {@link ModeRunOptions}) declares an option once, and the command that uses it says its default with {@link Of}
 * (a soak runs 10 minutes, a failover 20 s). Help shows them as usual ({@code ${DEFAULT-VALUE}}); an option's own
 * {@code defaultValue} is used where the command names none.
 */
public final class OptionDefaults implements IDefaultValueProvider {
    /** A command's defaults for the shared options it mixes in, each {@code --name=value}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Of {
        String[] value();
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        for (CommandSpec c = arg.command(); c != null; c = c.parent()) {
            Of defaults =
                    c.userObject() == null ? null : c.userObject().getClass().getAnnotation(Of.class);
            if (defaults != null) {
                String prefix = option.longestName() + "=";
                for (String d : defaults.value()) {
                    if (d.startsWith(prefix)) {
                        return d.substring(prefix.length());
                    }
                }
                return null;
            }
        }
        return null;
    }
}
