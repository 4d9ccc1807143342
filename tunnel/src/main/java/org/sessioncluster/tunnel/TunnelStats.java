package org.sessioncluster.tunnel;

/**
 * What a tunnel has carried: connections (all, and open now), bytes towards the target ({@code out})
 * and back ({@code in}), how often the SSH connection was rebuilt, and the last error while rebuilding.
 */
public record TunnelStats(
        Tunnel.State state,
        long connections,
        int openConnections,
        long bytesOut,
        long bytesIn,
        long reconnects,
        String lastError) {

    public String line() {
        return state.name().toLowerCase() + ": " + connections + " connections (" + openConnections + " open), "
                + human(bytesOut) + " out, " + human(bytesIn) + " in, " + reconnects + " reconnects"
                + (lastError.isEmpty() ? "" : "; last error: " + lastError);
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
