package dev.konductor.kubelet.volumes;

import io.fabric8.kubernetes.api.model.GitRepoVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code gitRepo} (deprecated upstream, still served): an emptyDir into which the node's
 * {@code git} clones {@code repository} (into {@code directory}, or a directory named after the
 * repository), then checks out {@code revision} and hard-resets to it. Done once per pod: a
 * marker under the pod's plugin directory remembers it, so the clone is never redone over what
 * the containers changed.
 */
record GitRepoVolume(String name, GitRepoVolumeSource source) implements PodVolume {

    static final String PLUGIN = "kubernetes.io~git-repo";
    static final long TIMEOUT_SECONDS = 300;

    @Override
    public Path setUp(Pod pod, VolumeHost host) throws SetUpException {
        String uid = pod.getMetadata().getUid();
        Path dir = host.dirs().volume(uid, PLUGIN, name);
        Path ready = host.dirs().plugin(uid, PLUGIN, name).resolve("ready");
        if (Files.exists(ready)) {
            return dir;
        }
        String directory = source.getDirectory() == null ? "" : source.getDirectory();
        String revision = source.getRevision() == null ? "" : source.getRevision();
        if (directory.startsWith("/") || List.of(directory.split("/")).contains("..")) {
            throw new SetUpException("gitRepo directory must be a relative path without '..': " + directory);
        }
        if (revision.startsWith("-")) {
            throw new SetUpException("gitRepo revision must not start with '-': " + revision);
        }
        EmptyDirVolume.makeDirectory(dir);
        try {
            cloneInto(dir, directory, revision);
        } catch (SetUpException e) {
            emptyDirectory(dir); // the next attempt starts from scratch
            throw e;
        }
        try {
            Files.createDirectories(ready.getParent());
            Files.createFile(ready);
        } catch (IOException e) {
            throw new SetUpException(SetUpException.SET_UP, "cannot mark " + ready + ": " + e.getMessage(), e);
        }
        return dir;
    }

    private void cloneInto(Path dir, String directory, String revision) throws SetUpException {
        List<String> clone = new ArrayList<>(List.of("clone", "--", source.getRepository()));
        if (!directory.isEmpty()) {
            clone.add(directory);
        }
        git(dir, clone);
        if (!revision.isEmpty()) {
            Path checkout = checkoutDirectory(dir, directory);
            git(checkout, List.of("checkout", revision));
            git(checkout, List.of("reset", "--hard"));
        }
    }

    private static void emptyDirectory(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                AtomicWriter.deleteTree(entry);
            }
        } catch (IOException e) {
            // the failure being reported matters more; a later attempt reports this one
        }
    }

    /** Where the clone went: {@code directory}, the volume itself for ".", or the one entry git made. */
    private static Path checkoutDirectory(Path dir, String directory) throws SetUpException {
        if (directory.equals(".")) {
            return dir;
        }
        if (!directory.isEmpty()) {
            return dir.resolve(directory);
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
            all.forEach(entries::add);
        } catch (IOException e) {
            throw new SetUpException(SetUpException.SET_UP, e.getMessage(), e);
        }
        if (entries.size() != 1) {
            throw new SetUpException("unexpected directory contents: " + entries.stream().map(p -> p.getFileName().toString()).toList());
        }
        return entries.getFirst();
    }

    /** Runs git in {@code dir}; fails with upstream's message, git's output included. */
    private static void git(Path dir, List<String> args) throws SetUpException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(args);
        String what = "failed to exec 'git " + String.join(" ", args) + "': ";
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put("GIT_TERMINAL_PROMPT", "0");
            Process process = builder.start();
            process.getOutputStream().close();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (var in = process.getInputStream()) {
                    in.transferTo(output);
                } catch (IOException e) {
                    // the exit status tells what happened
                }
            });
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SetUpException(what + "timed out after " + TIMEOUT_SECONDS + "s");
            }
            reader.join();
            status = process.exitValue();
        } catch (IOException e) {
            throw new SetUpException(what + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetUpException(what + "interrupted");
        }
        if (status != 0) {
            throw new SetUpException(what + output.toString(StandardCharsets.UTF_8) + ": exit status " + status);
        }
    }

    @Override
    public boolean managesOwnership() {
        return true;
    }
}
