package dev.konductor.kubelet.process;

import dev.konductor.kubelet.cri.v1.Image;
import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.images.Digests;
import dev.konductor.kubelet.images.ImageReferences;
import java.io.IOException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images the process runtime knows: {@code busybox} (any tag: whatever the tag, it is the
 * host's busybox that runs), mapped to the host's busybox binary when there is one, with a
 * directory of applet links made once under the runtime's state directory; every other image is
 * {@link HostImage.CommandOnly}.
 */
final class HostImages {

    private static final Logger log = LoggerFactory.getLogger(HostImages.class);
    static final List<Path> BUSYBOX_CANDIDATES = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));
    private static final String BUSYBOX_REPOSITORY = "docker.io/library/busybox";
    private static final Pattern VERSION = Pattern.compile("BusyBox v(\\d+\\.\\d+\\.\\d+)");

    /** The busybox binary, its applet links and applet paths; empty when the host has no busybox. */
    record Busybox(Path binary, Path appletLinks, Set<String> appletPaths, String version) {
    }

    private final Optional<Busybox> busybox;

    HostImages(Optional<Busybox> busybox) {
        this.busybox = busybox;
    }

    /** Finds the host's busybox and links its applets under {@code linksDir}; none found is not an error. */
    static HostImages discover(Path linksDir) {
        for (Path candidate : BUSYBOX_CANDIDATES) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                try {
                    return new HostImages(Optional.of(link(candidate, linksDir)));
                } catch (IOException e) {
                    log.warn("cannot use {} for the busybox image: {}", candidate, e.getMessage());
                }
            }
        }
        return new HostImages(Optional.empty());
    }

    Optional<Busybox> busybox() {
        return busybox;
    }

    HostImage resolve(String image) {
        String reference = ImageReferences.normalize(image);
        if (!isBusybox(reference)) {
            return new HostImage.CommandOnly(reference, Optional.empty());
        }
        return busybox.<HostImage>map(b -> new HostImage.Busybox(reference, b.binary(), b.appletLinks(), b.appletPaths()))
                .orElseGet(() -> new HostImage.CommandOnly(reference, Optional.of("this machine has no busybox binary ("
                        + BUSYBOX_CANDIDATES.getFirst() + "; apt-get install busybox-static)")));
    }

    /** What the runtime does instead of pulling {@code image}, for the container's Pulled event. */
    String substitute(String image) {
        HostImage resolved = resolve(image);
        return switch (resolved) {
            case HostImage.Busybox b -> "Container image \"" + image + "\" not pulled: the process runtime runs busybox's"
                    + " applets from this node's " + b.binary() + busybox.map(x -> " (BusyBox v" + x.version() + ")").orElse("");
            case HostImage.CommandOnly c -> "Container image \"" + image + "\" not pulled: the process runtime runs the"
                    + " container's command on this node, not images";
        };
    }

    /** The image as CRI's ImageStatus shows it: busybox (the host's binary) when there is one; others are not images here. */
    Optional<Image> image(String image) {
        if (!(resolve(image) instanceof HostImage.Busybox b)) {
            return Optional.empty();
        }
        long size;
        try {
            size = Files.size(b.binary());
        } catch (IOException e) {
            size = 0;
        }
        String version = busybox.map(Busybox::version).orElse("unknown");
        return Optional.of(Image.newBuilder()
                .setId(Digests.sha256((b.binary() + " " + version).getBytes(StandardCharsets.UTF_8)))
                .addRepoTags(BUSYBOX_REPOSITORY + ":latest").addRepoTags(BUSYBOX_REPOSITORY + ":" + version)
                .setSize(size).setSpec(ImageSpec.newBuilder().setImage(b.reference())).build());
    }

    /** Docker Hub's busybox, or the one the Kubernetes documentation pulls from registry.k8s.io. */
    static boolean isBusybox(String normalized) {
        for (String repository : List.of(BUSYBOX_REPOSITORY, "registry.k8s.io/busybox")) {
            if (normalized.startsWith(repository + ":") || normalized.startsWith(repository + "@")) {
                return true;
            }
        }
        return false;
    }

    /** One link per applet name, each to the binary (busybox runs the applet its argv[0] names). */
    private static Busybox link(Path binary, Path linksDir) throws IOException {
        List<String> fullPaths = run(binary, "--list-full").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (fullPaths.isEmpty()) {
            throw new IOException(binary + " --list-full listed no applets");
        }
        Files.createDirectories(linksDir);
        Set<String> appletPaths = new LinkedHashSet<>();
        for (String applet : fullPaths) {
            appletPaths.add("/" + applet);
            Path link = linksDir.resolve(Path.of(applet).getFileName().toString());
            if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(binary)) {
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, binary);
            }
        }
        Matcher version = VERSION.matcher(run(binary));
        return new Busybox(binary, linksDir, appletPaths, version.find() ? version.group(1) : "unknown");
    }

    private static String run(Path binary, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
