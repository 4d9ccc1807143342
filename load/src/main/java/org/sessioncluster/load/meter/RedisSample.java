package org.sessioncluster.load.meter;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Redis's own figures (INFO): memory used, bytes in and out on the network, commands processed.
 *
 * @param usedMemory     used_memory
 * @param netInputBytes  total_net_input_bytes (what the nodes sent to Redis)
 * @param netOutputBytes total_net_output_bytes (what Redis sent to the nodes)
 * @param commands       total_commands_processed
 */
public record RedisSample(long usedMemory, long netInputBytes, long netOutputBytes, long commands) {

    /** INFO from {@code redis://host:port} or {@code rediss://host:port} (RESP), logging in with {@code access}. */
    public static RedisSample info(String address, RespConnection.Access access) throws IOException {
        try (RespConnection redis = RespConnection.open(address, access, 1000)) {
            return parse(String.valueOf(redis.call("INFO")));
        }
    }

    /** The figures of two servers together (the shards of a Redis Cluster). */
    public RedisSample plus(RedisSample other) {
        return new RedisSample(
                usedMemory + other.usedMemory,
                netInputBytes + other.netInputBytes,
                netOutputBytes + other.netOutputBytes,
                commands + other.commands);
    }

    static RedisSample parse(String info) {
        Map<String, Long> v = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                try {
                    v.put(
                            line.substring(0, colon),
                            Long.parseLong(line.substring(colon + 1).trim()));
                } catch (NumberFormatException ignored) {
                    // INFO has text fields too; only numbers are read
                }
            }
        }
        return new RedisSample(
                v.getOrDefault("used_memory", 0L),
                v.getOrDefault("total_net_input_bytes", 0L),
                v.getOrDefault("total_net_output_bytes", 0L),
                v.getOrDefault("total_commands_processed", 0L));
    }
}
