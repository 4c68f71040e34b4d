package dev.konductor.kubelet.process;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * How one program of a container runs on the host: its argv as the container asked for it (the
 * program not yet looked up), its whole environment, its working directory, and the image it
 * came from (which decides where the program is found). A container's exec sessions and probes
 * run {@link #withCommand other commands} in the same environment and directory.
 */
record Launch(List<String> argv, SequencedMap<String, String> env, Path workingDir, HostImage image) {

    Launch {
        argv = List.copyOf(argv);
        env = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(env));
    }

    Launch withCommand(List<String> command) {
        return new Launch(command, env, workingDir, image);
    }

    /** The same, with {@code name} set in the environment. */
    Launch withEnv(String name, String value) {
        SequencedMap<String, String> more = new LinkedHashMap<>(env);
        more.put(name, value);
        return new Launch(argv, more, workingDir, image);
    }

    String path() {
        return env.getOrDefault("PATH", image.path());
    }
}
