package org.sessioncluster.tunnel;

/** A tunnel that cannot be set up, with a message meant for the person who runs it. */
public final class TunnelException extends RuntimeException {
    /** Why: decides whether retrying can help (a dropped network can; a refused key cannot). */
    public enum Kind {
        BAD_INPUT,
        AUTH,
        HOST_KEY,
        PORT_IN_USE,
        CONNECT,
        FORWARD_REFUSED
    }

    private final Kind kind;

    public TunnelException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public TunnelException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Auth and host-key failures need a person: retrying them only hammers the server. */
    public boolean retryable() {
        return kind == Kind.CONNECT || kind == Kind.FORWARD_REFUSED;
    }
}
