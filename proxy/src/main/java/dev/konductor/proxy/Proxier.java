package dev.konductor.proxy;

import dev.konductor.proxy.model.ProxyModel;
import java.io.IOException;

/** A way of making Services work on a node: programs the kernel, or forwards in user space. */
public interface Proxier extends AutoCloseable {

    /** Sets the node up before the first sync (e.g. the service CIDR route and an empty rule table). */
    void start() throws IOException, InterruptedException;

    /** Makes the node forward as {@code model} says. Called from one thread at a time. */
    void sync(ProxyModel model) throws IOException, InterruptedException;

    /** Undoes everything {@link #start()} and {@link #sync} did to the node. */
    @Override
    void close();
}
