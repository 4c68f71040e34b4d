package dev.konductor.server.control;

import dev.konductor.kubelet.containerd.ContainerdProcess;
import dev.konductor.kubelet.process.ProcessRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How the local node agent runs pods (see ARCHITECTURE.md, "Node agent and runtimes"). */
public enum NodeRuntime {
    /**
     * cri where this machine can run it (root, containerd, runc, CNI plugins, busybox-static,
     * nftables), else process, else sim.
     */
    AUTO,
    /** Containers through containerd's CRI socket. */
    CRI,
    /** Containers as plain host processes, for machines without root or containerd. */
    PROCESS,
    /** Nothing runs; pods go Running on a timer. For scale tests. */
    SIM,
    /** No local node agent: a control plane only. */
    NONE;

    /** What {@link #AUTO} stands for on this machine, and why. */
    public record Choice(NodeRuntime runtime, String reason) {
    }

    /** This runtime, or for {@link #AUTO} the one this machine can run. */
    public Choice resolve() {
        if (this != AUTO) {
            return new Choice(this, "asked for");
        }
        List<String> missing = new ArrayList<>();
        if (!ContainerdProcess.runningAsRoot()) {
            missing.add("root");
        }
        if (ContainerdProcess.findBinary().isEmpty()) {
            missing.add("containerd");
        }
        if (ContainerdProcess.findRunc().isEmpty()) {
            missing.add("runc");
        }
        if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge"))) {
            missing.add("the CNI plugins (containernetworking-plugins)");
        }
        if (!Files.isExecutable(Path.of("/bin/busybox"))) {
            missing.add("busybox-static");
        }
        if (dev.konductor.proxy.ProxyMode.nftBinary() == null) {
            missing.add("nftables (the service proxy)");
        }
        if (missing.isEmpty()) {
            return new Choice(CRI, "root, containerd, runc, the CNI plugins, busybox-static and nftables are here");
        }
        return fallback("real containers need " + String.join(", ", missing), ProcessRuntime.unavailable());
    }

    /** Without cri: process where it can run, else sim; {@code why} says what cri lacked. Pure. */
    static Choice fallback(String why, Optional<String> processUnavailable) {
        if (processUnavailable.isEmpty()) {
            return new Choice(PROCESS, why + "; running pods as plain host processes instead (the process runtime:"
                    + " no images, no isolation, the node's network)");
        }
        return new Choice(SIM, why + ", and the process runtime " + processUnavailable.get()
                + "; running a simulated node instead (pods run without containers)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
