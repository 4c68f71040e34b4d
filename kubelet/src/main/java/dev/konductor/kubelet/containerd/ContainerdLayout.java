package dev.konductor.kubelet.containerd;

import java.nio.file.Path;

/**
 * Where a Konductor-supervised containerd keeps everything, all under one directory (normally
 * {@code DATA/containerd}), so that several clusters on one machine never share state.
 */
public record ContainerdLayout(Path dir) {

    public ContainerdLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    public Path config() {
        return dir.resolve("config.toml");
    }

    public Path root() {
        return dir.resolve("root");
    }

    public Path state() {
        return dir.resolve("state");
    }

    public Path socket() {
        return dir.resolve("containerd.sock");
    }

    public Path log() {
        return dir.resolve("containerd.log");
    }

    public Path pidFile() {
        return dir.resolve("containerd.pid");
    }

    public Path registryConfig() {
        return dir.resolve("certs.d");
    }

    public Path cniConfig() {
        return dir.resolve("cni/net.d");
    }

    public Path cniIpam() {
        return dir.resolve("cni/ipam");
    }

    public Path opt() {
        return dir.resolve("opt");
    }
}
