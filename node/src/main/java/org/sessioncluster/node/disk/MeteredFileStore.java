package org.sessioncluster.node.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.session.FileStore;
import org.apache.catalina.session.StoreBase;

/**
 * Tomcat's FileStore (final, so wrapped rather than extended), counting the bytes it writes: the disk
 * mode's cost of one session write.
 */
public class MeteredFileStore extends StoreBase {
    private final FileStore files = new FileStore();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder fsyncs = new LongAdder();
    private boolean fsync;

    public void setDirectory(String directory) {
        files.setDirectory(directory);
    }

    /** Force each saved file to the device before {@link #save} returns (session.store.fsync). */
    public void setFsync(boolean fsync) {
        this.fsync = fsync;
    }

    @Override
    public void setManager(Manager manager) {
        super.setManager(manager);
        files.setManager(manager);
    }

    @Override
    public int getSize() throws IOException {
        return files.getSize();
    }

    @Override
    public String[] keys() throws IOException {
        return files.keys();
    }

    @Override
    public Session load(String id) throws ClassNotFoundException, IOException {
        return files.load(id);
    }

    @Override
    public void remove(String id) throws IOException {
        files.remove(id);
    }

    @Override
    public void clear() throws IOException {
        files.clear();
    }

    @Override
    public void save(Session session) throws IOException {
        files.save(session);
        Path file = Path.of(files.getDirectory(), session.getIdInternal() + ".session");
        if (Files.exists(file)) {
            bytesWritten.add(Files.size(file));
            if (fsync) {
                // FileStore closes its stream without a sync; an fsync on a new descriptor flushes the same
                // file's dirty pages (and its size, for a file that grew) to the device.
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                fsyncs.increment();
            }
        }
    }

    /** Saves forced to the device (0 unless session.store.fsync). */
    public long fsyncs() {
        return fsyncs.sum();
    }

    public long bytesWritten() {
        return bytesWritten.sum();
    }
}
