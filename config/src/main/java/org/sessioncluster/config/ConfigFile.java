package org.sessioncluster.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** cluster.properties on disk: read with errors that name the file, written readable by its owner only. */
final class ConfigFile {
    private ConfigFile() {}

    /** The file's keys and values, trimmed. */
    static Map<String, String> read(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file
                    + " (pass --config, or run from the project folder that holds cluster-config/)");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> map = new HashMap<>();
        props.stringPropertyNames()
                .forEach(k -> map.put(k.trim(), props.getProperty(k).trim()));
        return map;
    }

    /** Writes the values (sorted by the caller) as a properties file. */
    static void write(Path file, Map<String, String> values) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try {
            // it may hold the admin token and the Redis password: only the owner may read it
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's permissions apply
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# Resolved session-cluster config (every value in effect). Written by sessionctl.\n");
            for (Map.Entry<String, String> e : values.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue().replace("\\", "\\\\") + "\n");
            }
        }
    }
}
