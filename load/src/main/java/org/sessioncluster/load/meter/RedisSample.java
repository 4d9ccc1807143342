package org.sessioncluster.load.meter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

    /** INFO from {@code redis://host:port} over a plain socket (RESP). */
    public static RedisSample info(String address) throws IOException {
        URI uri = URI.create(address);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write("INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(readBulk(socket.getInputStream()));
        }
    }

    private static String readBulk(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            header.write(c);
        }
        String h = header.toString(StandardCharsets.US_ASCII).trim();
        if (!h.startsWith("$")) {
            throw new IOException("unexpected INFO answer: " + h);
        }
        int length = Integer.parseInt(h.substring(1));
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static RedisSample parse(String info) {
        Map<String, Long> v = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                try {
                    v.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1).trim()));
                } catch (NumberFormatException ignored) {
                    // INFO has text fields too; only numbers are read
                }
            }
        }
        return new RedisSample(v.getOrDefault("used_memory", 0L), v.getOrDefault("total_net_input_bytes", 0L),
                v.getOrDefault("total_net_output_bytes", 0L), v.getOrDefault("total_commands_processed", 0L));
    }
}
