package dev.konductor.kubelet.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.kubelet.objects.FakeObjectSource;
import io.fabric8.kubernetes.api.model.GitRepoVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clones a repository this test makes on local disk with the node's git; never the network. */
class GitRepoVolumeTest {

    @TempDir
    Path dir;

    private Path repository;
    private String firstCommit;
    private VolumeHost host;
    private final Pod pod = new PodBuilder().withNewMetadata().withNamespace("shop").withName("web").withUid("uid-1").endMetadata()
            .withNewSpec().endSpec().build();

    @BeforeEach
    void makeRepository() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "skipped: git is not installed (apt-get install git)");
        repository = Files.createDirectories(dir.resolve("origin"));
        git(repository, "init", "-q", "-b", "main");
        Files.writeString(repository.resolve("README"), "first\n");
        git(repository, "add", "README");
        git(repository, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "first");
        firstCommit = git(repository, "rev-parse", "HEAD").strip();
        Files.writeString(repository.resolve("README"), "second\n");
        git(repository, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-am", "second");
        host = new VolumeHost(new PodDirectories(dir.resolve("pods")), new FakeObjectSource(), null, new FakeMounter(),
                Clock.systemUTC());
    }

    private static String git(Path where, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void clonesIntoTheNamedDirectoryAtTheRevision() throws Exception {
        var volume = new GitRepoVolume("repo", new GitRepoVolumeSourceBuilder().withRepository("file://" + repository)
                .withDirectory("src").withRevision(firstCommit).build());

        Path path = volume.setUp(pod, host);

        assertThat(path).isEqualTo(dir.resolve("pods/uid-1/volumes/kubernetes.io~git-repo/repo"));
        assertThat(Files.readString(path.resolve("src/README"))).isEqualTo("first\n");
    }

    @Test
    void clonesOnceSoContainerChangesStay() throws Exception {
        var volume = new GitRepoVolume("repo", new GitRepoVolumeSourceBuilder().withRepository("file://" + repository)
                .withDirectory(".").build());
        Path path = volume.setUp(pod, host);
        Files.writeString(path.resolve("README"), "edited by the container\n");

        volume.setUp(pod, host);

        assertThat(Files.readString(path.resolve("README"))).isEqualTo("edited by the container\n");
    }

    @Test
    void aFailedCloneSaysWhatGitSaidAndIsRetriedFromScratch() throws Exception {
        var missing = new GitRepoVolume("repo", new GitRepoVolumeSourceBuilder().withRepository("file://" + dir.resolve("nope"))
                .build());

        assertThatThrownBy(() -> missing.setUp(pod, host)).hasMessageStartingWith("failed to exec 'git clone -- file://")
                .hasMessageContaining("does not appear to be a git repository").hasMessageEndingWith("exit status 128");

        var good = new GitRepoVolume("repo", new GitRepoVolumeSourceBuilder().withRepository("file://" + repository).build());
        Path path = good.setUp(pod, host);
        assertThat(Files.readString(path.resolve("origin/README"))).isEqualTo("second\n");
    }
}
