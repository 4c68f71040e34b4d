package dev.konductor.proxy.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.proxy.model.ProxyModel;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the kernel proxy asks of the host, with the commands faked. */
class NftablesProxierTest {

    @Test
    void startRejectsTheServiceRangeBeforeRoutingItToTheDiscardingLink() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        NftablesProxier proxier = new NftablesProxier(SampleModels.CONFIG, "konductor-svc", runner);

        proxier.start();

        assertThat(runner.lines()).containsExactly(
                "nft -f -",
                "ip link add konductor-svc type dummy",
                "ip link set konductor-svc up",
                "ip -4 route replace 10.96.0.0/12 dev konductor-svc");
        assertThat(runner.calls.getFirst().stdin()).startsWith("add table ip konductor\ndelete table ip konductor\n")
                .contains("ip daddr 10.96.0.0/12 counter reject comment \"unallocated ClusterIP\"");
    }

    @Test
    void aKernelWithoutTheDummyDriverGetsAnIfbLink() throws Exception {
        RecordingRunner runner = new RecordingRunner(call -> call.line().endsWith("type dummy")
                ? new CommandRunner.Result(2, "", "Error: Unknown device type.\n") : new CommandRunner.Result(0, "", ""));

        new NftablesProxier(SampleModels.CONFIG, "konductor-svc", runner).start();

        assertThat(runner.lines()).contains("ip link add konductor-svc type ifb", "ip link set konductor-svc up");
    }

    @Test
    void aLinkLeftByACrashedRunIsAdopted() throws Exception {
        RecordingRunner runner = new RecordingRunner(call -> call.line().startsWith("ip link add")
                ? new CommandRunner.Result(2, "", "RTNETLINK answers: File exists\n") : new CommandRunner.Result(0, "", ""));

        new NftablesProxier(SampleModels.CONFIG, "konductor-svc", runner).start();

        assertThat(runner.lines()).contains("ip -4 route replace 10.96.0.0/12 dev konductor-svc");
    }

    @Test
    void changesAreAppliedAsUpdatesAndAnUnchangedModelCostsNothing() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        NftablesProxier proxier = new NftablesProxier(SampleModels.CONFIG, "konductor-svc", runner);
        proxier.start();
        runner.calls.clear();

        proxier.sync(SampleModels.earlier());
        proxier.sync(SampleModels.full());
        proxier.sync(SampleModels.full());

        assertThat(runner.lines()).containsExactly("nft -f -", "nft -f -");
        assertThat(runner.calls).allSatisfy(call -> assertThat(call.stdin()).doesNotContain("delete table"));
        assertThat(runner.calls.get(1).stdin()).contains("delete chain ip konductor service-43E87FA4-default/old/tcp/");
    }

    @Test
    void aFailedUpdateFallsBackToReplacingTheTable() throws Exception {
        AtomicBoolean failUpdates = new AtomicBoolean();
        RecordingRunner runner = new RecordingRunner(call -> failUpdates.get() && !call.stdin().contains("delete table")
                ? new CommandRunner.Result(1, "", "Error: No such file or directory") : new CommandRunner.Result(0, "", ""));
        NftablesProxier proxier = new NftablesProxier(SampleModels.CONFIG, "konductor-svc", runner);
        proxier.sync(SampleModels.earlier());
        failUpdates.set(true);

        proxier.sync(SampleModels.full());

        assertThat(runner.calls).hasSize(3);
        assertThat(runner.calls.get(2).stdin()).startsWith("add table ip konductor\ndelete table ip konductor\n");
        assertThat(proxier.applied()).isEqualTo(new NftRenderer(SampleModels.CONFIG).render(SampleModels.full()));
    }

    @Test
    void aScriptTheKernelRefusesFailsTheSync() throws Exception {
        RecordingRunner runner = new RecordingRunner(call -> new CommandRunner.Result(1, "", "Error: permission denied"));
        NftablesProxier proxier = new NftablesProxier(SampleModels.CONFIG, "konductor-svc", runner);

        assertThatThrownBy(() -> proxier.sync(ProxyModel.EMPTY)).isInstanceOf(IOException.class)
                .hasMessageContaining("permission denied");
        assertThat(proxier.applied()).isNull();
    }

    @Test
    void closeRemovesTheTableThenTheLink() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        NftablesProxier proxier = new NftablesProxier(SampleModels.CONFIG, "konductor-svc", runner);
        proxier.start();
        runner.calls.clear();

        proxier.close();

        assertThat(runner.lines()).containsExactly("nft -f -", "ip link del konductor-svc");
        assertThat(runner.calls.getFirst().stdin()).isEqualTo("add table ip konductor\ndelete table ip konductor\n");
    }
}
