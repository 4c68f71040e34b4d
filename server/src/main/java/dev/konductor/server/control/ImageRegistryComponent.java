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
 * The cluster's image registry: a read-only OCI distribution endpoint over the image store in
 * {@code DATA/images}, holding the images the project builds (busybox and the pause image,
 * rebuilt from this machine's busybox on every start) and whatever {@code konductor image load}
 * added. It listens where the API server does (every address by default), so that agents'
 * containerd can pull from it at the server's advertised address; the local containerd uses
 * loopback. Every node pulls everything from it.
 */
public final class ImageRegistryComponent implements Component {

    public static final String NAME = "registry";
    private static final Logger log = LoggerFactory.getLogger(ImageRegistryComponent.class);

    private final Path storeDir;
    private final Optional<InetAddress> bindAddress;
    private volatile RegistryServer server;

    /** @param bindAddress where to listen; empty for every address */
    public ImageRegistryComponent(Path storeDir, Optional<InetAddress> bindAddress) {
        this.storeDir = storeDir;
        this.bindAddress = bindAddress;
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
        server = RegistryServer.start(store, new InetSocketAddress(bindAddress.orElse(InetAddress.ofLiteral("0.0.0.0")), 0));
    }

    /** For this machine: {@code http://127.0.0.1:PORT} (or the bind address); valid once ready. */
    public String url() {
        return urlAt(bindAddress.orElse(InetAddress.getLoopbackAddress()));
    }

    /** For other machines: {@code http://ADDRESS:PORT}; valid once ready. */
    public String urlAt(InetAddress address) {
        String host = address.getAddress().length == 16 ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return "http://" + host + ":" + server.address().getPort();
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
