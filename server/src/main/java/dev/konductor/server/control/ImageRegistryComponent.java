package dev.konductor.server.control;

import dev.konductor.kubelet.images.BuiltImage;
import dev.konductor.kubelet.images.BuiltinImages;
import dev.konductor.kubelet.images.ImageStore;
import dev.konductor.kubelet.registry.RegistryServer;
import dev.konductor.server.supervisor.Component;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's image registry: a read-only OCI distribution endpoint on loopback over the
 * image store in {@code DATA/images}, holding the images the project builds (busybox and the
 * pause image, rebuilt from this machine's busybox on every start) and whatever
 * {@code konductor image load} added. The local containerd pulls everything from it.
 */
public final class ImageRegistryComponent implements Component {

    public static final String NAME = "registry";
    private static final Logger log = LoggerFactory.getLogger(ImageRegistryComponent.class);

    private final Path storeDir;
    private volatile RegistryServer server;

    public ImageRegistryComponent(Path storeDir) {
        this.storeDir = storeDir;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(Monitor monitor) throws Exception {
        ImageStore store = new ImageStore(storeDir);
        Optional<List<BuiltImage>> builtin = BuiltinImages.build();
        if (builtin.isPresent()) {
            builtin.get().forEach(store::add);
        } else {
            log.warn("no static busybox on this machine (apt-get install busybox-static): the busybox and pause"
                    + " images are missing, so pods cannot start");
        }
        server = RegistryServer.start(store, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** {@code http://127.0.0.1:PORT}; valid once ready. */
    public String url() {
        return server.url();
    }

    @Override
    public boolean ready() {
        return server != null;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
