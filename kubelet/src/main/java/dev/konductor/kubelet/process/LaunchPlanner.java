package dev.konductor.kubelet.process;

import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.KeyValue;
import dev.konductor.kubelet.cri.v1.Mount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.function.Predicate;

/**
 * Turns a container's CRI configuration into a host {@link Launch}, as close to what the
 * container would see as a process without root can get. Pure.
 *
 * <ul>
 *   <li>argv: the command and args, else the image's default (busybox: {@code sh}) with the args,
 *       as Docker combines Entrypoint and Cmd; an image with no default needs a command.
 *   <li>environment: nothing of the kubelet's own; the image's PATH, {@code HOSTNAME} (the pod's),
 *       {@code HOME} (the container's directory), {@code TERM} with a terminal, then the
 *       container's env in order (which may override any of them).
 *   <li>the container's directory: volumes appear in it at their mount paths, as symbolic links
 *       ({@code ./etc/config} for a mount at {@code /etc/config}); absolute paths are the host's.
 *   <li>working directory: {@code workingDir} where a volume is mounted there, else the host's
 *       directory when it exists, else made inside the container's directory; with none given,
 *       the container's directory itself.
 * </ul>
 */
final class LaunchPlanner {

    /** A symbolic link in the container's directory: {@code link} (relative) to {@code target} (a host path). */
    record Link(Path link, Path target) {
    }

    /** The container cannot run here; the message says why, for CreateContainerError. */
    static final class NotRunnable extends Exception {
        NotRunnable(String message) {
            super(message);
        }
    }

    private LaunchPlanner() {
    }

    static Launch plan(ContainerConfig config, HostImage image, Path containerDir, String hostname,
                       Predicate<Path> hostDirectoryExists) throws NotRunnable {
        List<String> argv = argv(config.getCommandList(), config.getArgsList(), image);
        SequencedMap<String, String> env = new LinkedHashMap<>();
        env.put("PATH", image.path());
        env.put("HOSTNAME", hostname);
        env.put("HOME", containerDir.toString());
        if (config.getTty()) {
            env.put("TERM", "xterm");
        }
        for (KeyValue kv : config.getEnvsList()) {
            env.put(kv.getKey(), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        Path workingDir = workingDir(config.getWorkingDir(), config.getMountsList(), containerDir, hostDirectoryExists);
        return new Launch(argv, env, workingDir, image);
    }

    static List<String> argv(List<String> command, List<String> args, HostImage image) throws NotRunnable {
        // Docker's rule: command replaces the image's Entrypoint, args its Cmd; neither image here
        // has an Entrypoint, so args alone are the whole argv.
        List<String> argv = new ArrayList<>(command);
        argv.addAll(command.isEmpty() && args.isEmpty() ? image.defaultCommand() : args);
        if (argv.isEmpty() || argv.getFirst().isEmpty()) {
            throw new NotRunnable(noCommand(image));
        }
        return argv;
    }

    static String noCommand(HostImage image) {
        String why = image instanceof HostImage.CommandOnly c && c.unavailableBecause().isPresent()
                ? "image \"" + image.reference() + "\" needs the host's busybox, but " + c.unavailableBecause().get()
                : "image \"" + image.reference() + "\" is not one it can stand in for (busybox is)";
        return "the process runtime runs commands on this node, not images: " + why
                + ", and the container has no command; give it one (command: [...])";
    }

    /**
     * The links that make the container's mounts appear in its directory, shallowest first; a
     * mount inside another mount is left out (its link would have to go into the other volume).
     */
    static List<Link> links(List<Mount> mounts, Path containerDir) {
        List<Mount> sorted = mounts.stream().filter(m -> m.getContainerPath().startsWith("/") && !m.getHostPath().isEmpty())
                .sorted(Comparator.comparingInt((Mount m) -> Path.of(m.getContainerPath()).normalize().getNameCount()))
                .toList();
        List<Link> links = new ArrayList<>();
        for (Mount m : sorted) {
            Path inside = relative(m.getContainerPath());
            if (inside.getNameCount() == 0 || inside.toString().isEmpty()) {
                continue; // a mount over "/" cannot be a link
            }
            if (links.stream().anyMatch(l -> inside.startsWith(l.link()))) {
                continue;
            }
            links.add(new Link(inside, Path.of(m.getHostPath())));
        }
        return links;
    }

    static Path workingDir(String requested, List<Mount> mounts, Path containerDir, Predicate<Path> hostDirectoryExists) {
        if (requested.isEmpty() || requested.equals("/")) {
            return containerDir;
        }
        Path wanted = Path.of(requested).normalize();
        Optional<Mount> within = mounts.stream()
                .filter(m -> !m.getHostPath().isEmpty() && wanted.startsWith(Path.of(m.getContainerPath()).normalize()))
                .max(Comparator.comparingInt(m -> Path.of(m.getContainerPath()).normalize().getNameCount()));
        if (within.isPresent()) {
            Path mountPoint = Path.of(within.get().getContainerPath()).normalize();
            return Path.of(within.get().getHostPath()).resolve(mountPoint.relativize(wanted));
        }
        if (wanted.isAbsolute() && hostDirectoryExists.test(wanted)) {
            return wanted;
        }
        return containerDir.resolve(relative(requested));
    }

    /** {@code /etc/config} as {@code etc/config}. */
    private static Path relative(String containerPath) {
        Path p = Path.of(containerPath).normalize();
        return p.isAbsolute() ? p.getRoot().relativize(p) : p;
    }
}
