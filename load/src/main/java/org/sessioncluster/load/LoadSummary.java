package org.sessioncluster.load;

import java.util.List;
import java.util.Map;

/**
 * What a load run measured.
 *
 * @param requests   requests sent
 * @param writes     of those, requests that changed a session (login, add to cart, payload, logout)
 * @param ok         answers that matched what the user expected
 * @param misses     answers where the session was gone
 * @param stale      answers with an older copy of the session
 * @param errors     failures and HTTP errors
 * @param retries    requests retried on another node by the client (client-side balancing only)
 * @param seconds    how long the run took
 * @param throughput requests per second
 * @param p50Ms      median latency
 * @param p90Ms      90th percentile
 * @param p99Ms      99th percentile
 * @param maxMs      slowest request
 * @param perNode    requests per serving node (X-Served-By)
 * @param errorSamples the first few errors, as text
 * @param continuitySamples the first few session misses, stale answers and failed reads, as text: when,
 *     which request, which node answered, what the user expected and what came (or why nothing came)
 */
public record LoadSummary(
        long requests,
        long writes,
        long ok,
        long misses,
        long stale,
        long errors,
        long retries,
        double seconds,
        double throughput,
        double p50Ms,
        double p90Ms,
        double p99Ms,
        double maxMs,
        Map<String, Long> perNode,
        List<String> errorSamples,
        List<String> continuitySamples) {}
