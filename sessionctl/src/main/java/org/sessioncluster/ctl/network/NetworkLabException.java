package org.sessioncluster.ctl.network;

/** A network lab could not be made, changed or removed; the message says which command and why. */
public final class NetworkLabException extends RuntimeException {
    public NetworkLabException(String message) {
        super(message);
    }
}
