package dev.konductor.kubelet.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images the project builds itself, since no public registry is reachable: {@code busybox}
 * (Debian's statically linked busybox with a symbolic link per applet) and the sandbox
 * ("pause") image, a shell that waits until it is told to stop. Both share the same single layer,
 * so the node stores it once.
 */
public final class BuiltinImages {

    /** The sandbox image every pod's network namespace is held by (containerd's {@code sandbox_image}). */
    public static final String PAUSE = "konductor.local/pause:3.10";
    public static final String BUSYBOX = "docker.io/library/busybox:latest";

    /**
     * References the Kubernetes documentation's manifests pull (busybox:1.28 in most of its
     * tutorials, registry.k8s.io/busybox:1.27.2 in its ConfigMap, downward API and probe tasks),
     * served by the same local busybox so that they run offline; the binary inside is this
     * machine's busybox, whatever the tag says.
     */
    static final List<String> TUTORIAL_REFERENCES = List.of("docker.io/library/busybox:1.28",
            "docker.io/library/busybox:1.36", "docker.io/library/busybox:1.37", "registry.k8s.io/busybox:latest",
            "registry.k8s.io/busybox:1.27.2", "registry.k8s.io/busybox:1.24");
    static final List<Path> BUSYBOX_CANDIDATES = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));
    private static final Pattern VERSION = Pattern.compile("BusyBox v(\\d+)\\.(\\d+)\\.(\\d+)");

    private BuiltinImages() {
    }

    /** Builds both images from this machine's busybox; empty when it has none that is static. */
    public static Optional<List<BuiltImage>> build() {
        for (Path candidate : BUSYBOX_CANDIDATES) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                byte[] binary = read(candidate);
                if (!ElfFiles.isStaticExecutable(binary)) {
                    continue;
                }
                List<String> applets = run(candidate, "--list-full").lines().map(String::strip)
                        .filter(line -> !line.isEmpty()).toList();
                Optional<String> version = version(run(candidate));
                return Optional.of(build(binary, applets, version));
            }
        }
        return Optional.empty();
    }

    /** The two images over one busybox layer, from a busybox binary and its applet paths; pure. */
    public static List<BuiltImage> build(byte[] busybox, List<String> applets, Optional<String> version) {
        Layer layer = busyboxLayer(busybox, applets);
        List<String> busyboxRefs = new ArrayList<>(List.of(BUSYBOX));
        version.ifPresent(v -> {
            busyboxRefs.add("docker.io/library/busybox:" + v);
            busyboxRefs.add("docker.io/library/busybox:" + v.substring(0, v.lastIndexOf('.')));
        });
        for (String ref : TUTORIAL_REFERENCES) {
            if (!busyboxRefs.contains(ref)) {
                busyboxRefs.add(ref);
            }
        }
        BuiltImage busyboxImage = new ImageBuilder().layer(layer).cmd(List.of("sh")).build(busyboxRefs);
        // As upstream's pause: exits at once on SIGTERM or SIGINT, otherwise waits forever.
        BuiltImage pause = new ImageBuilder().layer(layer)
                .entrypoint(List.of("/bin/sh", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait"))
                .build(List.of(PAUSE));
        return List.of(busyboxImage, pause);
    }

    static Layer busyboxLayer(byte[] busybox, List<String> applets) {
        Layer.Builder layer = Layer.builder();
        Set<String> directories = new LinkedHashSet<>(List.of("bin", "dev", "etc", "home", "proc", "root", "sbin",
                "sys", "usr", "usr/bin", "usr/sbin", "var", "var/www"));
        for (String applet : applets) {
            int slash = applet.lastIndexOf('/');
            if (slash > 0) {
                directories.add(applet.substring(0, slash));
            }
        }
        directories.stream().sorted().forEach(dir -> layer.directory(dir, dir.equals("root") ? 0700 : 0755));
        layer.directory("tmp", 01777);
        layer.file("etc/passwd", 0644, text("""
                root:x:0:0:root:/root:/bin/sh
                nobody:x:65534:65534:nobody:/home:/bin/false
                """));
        layer.file("etc/group", 0644, text("""
                root:x:0:
                nogroup:x:65534:
                """));
        layer.file("bin/busybox", 0755, busybox);
        applets.stream().filter(applet -> !applet.equals("bin/busybox")).sorted()
                .forEach(applet -> layer.symlink(applet, "/bin/busybox"));
        return layer.build();
    }

    static Optional<String> version(String usage) {
        Matcher m = VERSION.matcher(usage);
        return m.find() ? Optional.of(m.group(1) + "." + m.group(2) + "." + m.group(3)) : Optional.empty();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String run(Path binary, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
