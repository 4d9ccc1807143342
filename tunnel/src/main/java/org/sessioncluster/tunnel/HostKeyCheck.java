package org.sessioncluster.tunnel;

import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Host keys are checked against a known_hosts file, never trusted blindly. An unknown host is refused
 * unless the user said {@code --accept-new-host-key} (then its key is written to the file, like
 * OpenSSH's {@code StrictHostKeyChecking=accept-new}); a changed key is always refused. The reason of
 * the last refusal is kept so the error can name the host and the key's fingerprint.
 */
final class HostKeyCheck {
    private static final Logger LOG = Logger.getLogger(HostKeyCheck.class.getName());

    private final Path knownHosts;
    private final AtomicReference<String> refusal = new AtomicReference<>();
    private final KnownHostsServerKeyVerifier verifier;

    HostKeyCheck(Path knownHosts, boolean acceptNew) {
        this.knownHosts = knownHosts.toAbsolutePath();
        ServerKeyVerifier unknownHost = (session, address, key) -> {
            if (acceptNew) {
                LOG.info(() -> "adding the host key of " + address + " (" + KeyUtils.getFingerPrint(key) + ") to "
                        + this.knownHosts);
                ensureFolder();
                return true;
            }
            refusal.set(
                    "the host key of " + address + " (" + KeyUtils.getFingerPrint(key) + ") is not in "
                            + this.knownHosts
                            + "; check the fingerprint with the server's owner, then run again with --accept-new-host-key to add it");
            return false;
        };
        verifier = new KnownHostsServerKeyVerifier(unknownHost, this.knownHosts);
        verifier.setModifiedServerKeyAcceptor((session, address, entry, expected, actual) -> {
            refusal.set(changed(address, expected, actual));
            return false;
        });
    }

    private String changed(SocketAddress address, PublicKey expected, PublicKey actual) {
        return "the host key of " + address + " has CHANGED: known_hosts (" + knownHosts + ") has "
                + KeyUtils.getFingerPrint(expected) + ", the server showed " + KeyUtils.getFingerPrint(actual)
                + "; someone may be intercepting the connection, or the server was rebuilt — remove the old line only if you know which";
    }

    private void ensureFolder() {
        try {
            Path parent = knownHosts.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            LOG.warning(() -> "cannot create the folder of " + knownHosts + ": " + e.getMessage());
        }
    }

    ServerKeyVerifier verifier() {
        return verifier;
    }

    /** Why the last host key was refused, or null; cleared by the call. */
    String takeRefusal() {
        return refusal.getAndSet(null);
    }
}
