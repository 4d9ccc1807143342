package org.sessioncluster.contract;

/** A document that is not what its contract says (another program on the port, a version much older or newer). */
public class ContractException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
