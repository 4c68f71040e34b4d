package dev.konductor.kubelet.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the process runtime makes of a container's image, since it pulls none: the cluster's
 * built-in {@code busybox} becomes the host's busybox binary with its applets, any other image a
 * name only, whose containers must bring their own command (run from the host).
 */
sealed interface HostImage {

    /** The host's PATH for containers whose image says none, as containerd's default. */
    String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** The image name, normalised ({@code docker.io/library/busybox:latest}). */
    String reference();

    /** The image's default command (its Cmd; neither image here has an Entrypoint). */
    List<String> defaultCommand();

    /** The PATH the container starts with, unless its env sets one. */
    String path();

    /** What an absolute program path in the image is on the host (an applet's link for busybox). */
    String hostProgram(String imagePath);

    /** What {@code kubectl describe pod} shows as the image ID. */
    String imageRef();

    /**
     * {@code busybox}: the host's busybox binary, with a directory of links named after its
     * applets (first on PATH, so {@code sh}, {@code httpd} and {@code wget} are busybox's, as in
     * the image), and the applets' paths in the image ({@code /bin/sh}, {@code /usr/bin/wget}).
     */
    record Busybox(String reference, Path binary, Path appletLinks, Set<String> appletPaths) implements HostImage {

        public Busybox {
            appletPaths = Set.copyOf(appletPaths);
        }

        @Override
        public List<String> defaultCommand() {
            return List.of("sh");
        }

        @Override
        public String path() {
            return appletLinks + ":" + DEFAULT_PATH;
        }

        @Override
        public String hostProgram(String imagePath) {
            if (appletPaths.contains(imagePath)) {
                return appletLinks.resolve(Path.of(imagePath).getFileName()).toString();
            }
            return imagePath.equals("/bin/busybox") ? binary.toString() : imagePath;
        }

        @Override
        public String imageRef() {
            return binary.toString();
        }
    }

    /** Any other image: nothing of it runs; the container's command is a host program. */
    record CommandOnly(String reference, Optional<String> unavailableBecause) implements HostImage {

        @Override
        public List<String> defaultCommand() {
            return List.of();
        }

        @Override
        public String path() {
            return DEFAULT_PATH;
        }

        @Override
        public String hostProgram(String imagePath) {
            return imagePath;
        }

        @Override
        public String imageRef() {
            return "";
        }
    }
}
