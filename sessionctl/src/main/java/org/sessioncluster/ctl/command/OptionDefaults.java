package org.sessioncluster.ctl.command;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults of shared options that differ per command: a mixin ({@link VirtualUserOptions}, {@link ReportOptions},
 * {@link ModeRunOptions}) declares an option once, and the command that uses it says its default in
 * {@link Source#optionDefaults()} (a soak runs 10 minutes, a failover 20 s). Help shows them as usual
 * ({@code ${DEFAULT-VALUE}}); an option's own {@code defaultValue} is used where the command names none.
 */
public final class OptionDefaults implements IDefaultValueProvider {
    /** A command that gives defaults to the shared options it mixes in, by option name. */
    public interface Source {
        Map<String, String> optionDefaults();
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        for (CommandSpec c = arg.command(); c != null; c = c.parent()) {
            if (c.userObject() instanceof Source source) {
                return source.optionDefaults().get(option.longestName());
            }
        }
        return null;
    }
}
