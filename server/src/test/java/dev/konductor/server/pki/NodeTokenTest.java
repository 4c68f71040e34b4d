package dev.konductor.server.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTokenTest {

    @TempDir
    Path dir;

    @Test
    void namesItsClusterCaAndNoOther() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("a"));
        java.nio.file.Files.createDirectories(dir.resolve("b"));
        ClusterCredentials ours = new ClusterPki(dir.resolve("a"), Clock.systemUTC()).ensure(new ServingNames(java.util.Set.of("localhost"), java.util.Set.of()));
        ClusterCredentials theirs = new ClusterPki(dir.resolve("b"), Clock.systemUTC()).ensure(new ServingNames(java.util.Set.of("localhost"), java.util.Set.of()));

        NodeToken token = NodeToken.parse(NodeToken.of(ours.ca().certificate(), "abcdef.0123456789abcdef").format() + "\n");

        assertThat(token.format()).matches("K10[0-9a-f]{64}::abcdef\\.0123456789abcdef");
        assertThat(token.names(ours.ca().certificate())).isTrue();
        assertThat(token.names(theirs.ca().certificate())).isFalse();
        assertThat(token.toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void refusesATokenWithoutTheCaHash() {
        assertThatThrownBy(() -> NodeToken.parse("abcdef.0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks the cluster CA's hash");
        assertThatThrownBy(() -> NodeToken.parse("K10abc::abcdef.0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K10<sha256");
    }
}
