package dev.konductor.kubelet.process;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Finds the program an argv names, as runc does inside a container (Go's exec.LookPath over the
 * container's own PATH), except that the image's paths are the host's: an applet of busybox is
 * its link, anything else the host file of that name. The JDK would look the name up in the
 * kubelet's own PATH, so the runtime always hands it an absolute path. Failures in runc's words.
 * Pure, given what is executable.
 */
final class Programs {

    /** The program cannot be run; the message is runc's. */
    static final class NotFound extends Exception {
        NotFound(String message) {
            super(message);
        }
    }

    private Programs() {
    }

    static Path lookup(String name, String path, Path workingDir, HostImage image, Predicate<Path> executable,
                       Predicate<Path> exists) throws NotFound {
        if (name.contains("/")) {
            Path program = Path.of(image.hostProgram(name.startsWith("/") ? Path.of(name).normalize().toString() : name));
            Path absolute = program.isAbsolute() ? program : workingDir.resolve(program).normalize();
            if (!exists.test(absolute)) {
                throw new NotFound("exec: \"" + name + "\": stat " + name + ": no such file or directory");
            }
            if (!executable.test(absolute)) {
                throw new NotFound("exec: \"" + name + "\": permission denied");
            }
            return absolute;
        }
        for (String dir : path.split(":", -1)) {
            Path candidate = (dir.isEmpty() ? workingDir : workingDir.resolve(dir)).resolve(name);
            if (executable.test(candidate)) {
                return candidate;
            }
        }
        throw new NotFound("exec: \"" + name + "\": executable file not found in $PATH");
    }
}
