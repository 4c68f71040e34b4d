package dev.konductor.server.cli;

import dev.konductor.kubelet.images.ImageArchives;
import dev.konductor.kubelet.images.ImageStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code konductor image}: the images the cluster's registry serves (in {@code DATA/images}).
 * {@code load} adds OCI or docker-archive tarballs; a running server serves them at once.
 */
@Command(name = "image", description = "Load images into the cluster's registry, or list them.",
        mixinStandardHelpOptions = true, subcommands = {ImageCommand.Load.class, ImageCommand.ListImages.class})
public final class ImageCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: load or list");
    }

    @Command(name = "load", description = "Add images from OCI image layout or docker-archive tarballs (as docker save writes them).",
            mixinStandardHelpOptions = true)
    static final class Load implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption dataDir;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Image tarballs (.tar or .tar.gz).")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            ImageStore store = new ImageStore(dataDir.dataDir().images());
            PrintWriter out = spec.commandLine().getOut();
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("no such file: " + file);
                }
                for (String reference : ImageArchives.load(file, store)) {
                    out.println("Loaded image: " + reference);
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", description = "List the images the cluster's registry serves.", mixinStandardHelpOptions = true)
    static final class ListImages implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption dataDir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = dataDir.dataDir().images();
            if (!Files.isDirectory(dir)) {
                out.println("no images yet (a server with --runtime cri builds busybox and the pause image on start)");
                out.flush();
                return 0;
            }
            out.printf("%-50s %s%n", "REFERENCE", "DIGEST");
            for (Map.Entry<String, ImageStore.Descriptor> entry : new ImageStore(dir).references().entrySet()) {
                out.printf("%-50s %s%n", entry.getKey(), entry.getValue().digest());
            }
            out.flush();
            return 0;
        }
    }
}
