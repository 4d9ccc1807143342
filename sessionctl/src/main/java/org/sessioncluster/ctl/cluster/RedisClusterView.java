package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sessioncluster.load.meter.RespConnection;

/**
 * A Redis Cluster as one of its reachable nodes sees it ({@code CLUSTER NODES}): the shards (a primary, its
 * replicas, its slots), the slots no live primary serves, and the listed nodes that do not answer.
 */
public record RedisClusterView(List<Shard> shards, List<String> unreachable) {
    /** One primary, the replicas that follow it and the slot ranges it serves ("0-5460"). */
    public record Shard(String primary, List<String> replicas, List<String> slots, boolean failed) {}

    /** Asks the listed nodes in turn; empty when none answers. */
    public static Optional<RedisClusterView> of(List<String> addresses, RespConnection.Access access) {
        List<String> unreachable = new ArrayList<>();
        String nodes = null;
        for (String address : addresses) {
            try (RespConnection c = RespConnection.open(address, access, 1000)) {
                if (nodes == null) {
                    nodes = String.valueOf(c.call("CLUSTER", "NODES"));
                }
            } catch (IOException | RuntimeException e) {
                unreachable.add(address);
            }
        }
        return nodes == null ? Optional.empty() : Optional.of(new RedisClusterView(parse(nodes), unreachable));
    }

    static List<Shard> parse(String clusterNodes) {
        Map<String, String> addressById = new LinkedHashMap<>();
        Map<String, String[]> lines = new LinkedHashMap<>();
        for (String line : clusterNodes.lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.trim().split(" ");
            addressById.put(f[0], f[1].replaceAll("@.*", ""));
            lines.put(f[0], f);
        }
        List<Shard> shards = new ArrayList<>();
        for (String[] f : lines.values()) {
            if (!f[2].contains("master") || f.length <= 8 && f[2].contains("fail")) {
                continue; // a replica, or a failed primary that no longer serves anything
            }
            List<String> replicas = lines.values().stream()
                    .filter(r -> r[3].equals(f[0]) && !r[2].contains("fail"))
                    .map(r -> addressById.get(r[0]))
                    .toList();
            List<String> slots = new ArrayList<>();
            for (int i = 8; i < f.length; i++) {
                if (!f[i].startsWith("[")) {
                    slots.add(f[i]); // [slot->-id] are slots being migrated, not served
                }
            }
            if (!slots.isEmpty() || !f[2].contains("fail")) {
                shards.add(new Shard(addressById.get(f[0]), replicas, slots, f[2].contains("fail")));
            }
        }
        return shards;
    }

    /** Slot ranges that no live primary serves ("5461-10922"); empty when the cluster covers all 16384. */
    public List<String> uncoveredSlots() {
        BitSet covered = new BitSet(RedisClusterSetup.SLOTS);
        for (Shard s : shards) {
            if (s.failed()) {
                continue;
            }
            for (String range : s.slots()) {
                int[] ends = ends(range);
                covered.set(ends[0], ends[1] + 1);
            }
        }
        List<String> out = new ArrayList<>();
        int from = covered.nextClearBit(0);
        while (from < RedisClusterSetup.SLOTS) {
            int to = Math.min(
                            covered.nextSetBit(from) < 0 ? RedisClusterSetup.SLOTS : covered.nextSetBit(from),
                            RedisClusterSetup.SLOTS)
                    - 1;
            out.add(from == to ? Integer.toString(from) : from + "-" + to);
            from = covered.nextClearBit(to + 1);
        }
        return out;
    }

    /** The live primary that serves a slot, as host:port. */
    public Optional<String> primaryOf(int slot) {
        for (Shard s : shards) {
            if (s.failed()) {
                continue;
            }
            for (String range : s.slots()) {
                int[] ends = ends(range);
                if (slot >= ends[0] && slot <= ends[1]) {
                    return Optional.of(s.primary());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why the nodes could not use this cluster, in one sentence, or empty when every slot has a primary.
     * Names the missing slot ranges and the listed nodes that did not answer.
     */
    public Optional<String> problem() {
        List<String> missing = uncoveredSlots();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the Redis Cluster does not serve slots " + String.join(", ", missing)
                + " (no live primary holds them" + (unreachable.isEmpty() ? "" : "; not answering: " + unreachable)
                + "): start the missing shard or assign the slots (redis-cli --cluster fix)");
    }

    /** The first and last slot of "5461-10922" (or of a single slot, "42"). */
    private static int[] ends(String range) {
        int dash = range.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
        return new int[] {from, dash < 0 ? from : Integer.parseInt(range.substring(dash + 1))};
    }

    /** host:port of a redis:// address. */
    public static String hostPort(String address) {
        URI uri = URI.create(address);
        return uri.getHost() + ":" + uri.getPort();
    }
}
