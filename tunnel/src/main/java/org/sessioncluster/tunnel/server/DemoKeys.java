package org.sessioncluster.tunnel.server;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * The key files of the demo, in one folder: the server's host key, one client key, the server's
 * authorized_keys (that client's public key) and a known_hosts line for the server. Missing files are
 * made (ECDSA P-256, OpenSSH format, private keys readable by the owner only); existing ones are kept,
 * so the host key — and every known_hosts written for it — stays valid across restarts.
 */
public record DemoKeys(Path dir) {

    public Path hostKey() {
        return dir.resolve("host_key");
    }

    public Path clientKey() {
        return dir.resolve("client_key");
    }

    public Path authorizedKeys() {
        return dir.resolve("authorized_keys");
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** Creates whatever key file is missing. */
    public static DemoKeys init(Path dir) {
        DemoKeys keys = new DemoKeys(dir.toAbsolutePath());
        try {
            Files.createDirectories(keys.dir);
            if (!Files.exists(keys.hostKey())) {
                writeKeyPair(keys.hostKey(), "session-cluster demo host key");
            }
            if (!Files.exists(keys.clientKey())) {
                KeyPair client = writeKeyPair(keys.clientKey(), "session-cluster demo client");
                Files.writeString(
                        keys.clientKey().resolveSibling("client_key.pub"),
                        PublicKeyEntry.toString(client.getPublic()) + " demo-client\n");
            }
            if (!Files.exists(keys.authorizedKeys())) {
                Files.writeString(
                        keys.authorizedKeys(), PublicKeyEntry.toString(publicKey(keys.clientKey())) + " demo-client\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo keys in " + dir + ": " + e.getMessage(), e);
        }
        return keys;
    }

    /** Writes this server's line to known_hosts ({@code [host]:port key}), replacing an older one for the same address. */
    public void writeKnownHosts(String host, int port) {
        String address = port == 22 ? host : "[" + host + "]:" + port;
        try {
            List<String> lines = new ArrayList<>();
            if (Files.exists(knownHosts())) {
                for (String line : Files.readAllLines(knownHosts())) {
                    if (!line.startsWith(address + " ")) {
                        lines.add(line);
                    }
                }
            }
            lines.add(address + " " + PublicKeyEntry.toString(publicKey(hostKey())));
            Files.write(knownHosts(), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + knownHosts() + ": " + e.getMessage(), e);
        }
    }

    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(publicKey(hostKey()));
    }

    /** A new key pair written to {@code file} (OpenSSH private key format, owner-only permissions). */
    public static KeyPair writeKeyPair(Path file, String comment) {
        try {
            KeyPair pair = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
            }
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep its default permissions
            }
            return pair;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write a key pair to " + file + ": " + e.getMessage(), e);
        }
    }

    private static PublicKey publicKey(Path privateKeyFile) {
        for (KeyPair pair : new FileKeyPairProvider(privateKeyFile).loadKeys(null)) {
            return pair.getPublic();
        }
        throw new IllegalStateException(privateKeyFile + " holds no key");
    }
}
