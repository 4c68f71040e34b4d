package dev.konductor.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** How the proxy forwards: kernel nftables rules, or Java listeners. */
public enum ProxyMode {
    NFTABLES, USERSPACE;

    /** nftables when running as root on Linux with the {@code nft} command installed; userspace otherwise. */
    public static ProxyMode detect() {
        return nftablesUsable() ? NFTABLES : USERSPACE;
    }

    static boolean nftablesUsable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        return isRoot() && nftBinary() != null;
    }

    /** Whether this process runs with user id 0. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
        return false;
    }

    /** The {@code nft} executable, or null when it is not installed. */
    public static Path nftBinary() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nft"))) {
                return Path.of(dir, "nft");
            }
        }
        return null;
    }
}
