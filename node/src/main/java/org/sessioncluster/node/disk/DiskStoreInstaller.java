package org.sessioncluster.node.disk;

import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.session.PersistentManager;
import org.apache.catalina.valves.PersistentValve;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;

/** Installs the disk mode: Tomcat's PersistentManager over a file store every node shares. */
public final class DiskStoreInstaller {
    private DiskStoreInstaller() {}

    /** Installs the disk mode on a webapp not yet started and returns its store (which counts what it writes). */
    public static MeteredFileStore install(ClusterConfig config, Context webapp) {
        if (config.session().storeDir().isBlank()) {
            throw new ConfigException("session.mode = disk needs session.store.dir (a folder every node can write);"
                    + " sessionctl sets <run-dir>/sessions when it is empty");
        }
        MeteredFileStore store = new MeteredFileStore();
        store.setDirectory(Path.of(config.session().storeDir()).toAbsolutePath().toString());
        store.setFsync(config.session().storeFsync());
        PersistentManager manager = new PersistentManager();
        manager.setStore(store);
        webapp.setManager(manager);
        // Load the session from the store before each request and save it (and drop it from memory)
        // after: any node can serve any request, at the price of a disk write per request.
        PersistentValve valve = new PersistentValve();
        valve.setFilter(".*/(health|work)$");
        webapp.getPipeline().addValve(valve);
        return store;
    }
}
