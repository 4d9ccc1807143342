package org.sessioncluster.ctl;

import org.sessioncluster.config.ExitCodes;

/**
 * An option value, or a combination of options, a command refuses before it starts anything (exit code
 * {@link ExitCodes#BAD_INPUT}); the message names the option, the value and what is allowed.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }
}
