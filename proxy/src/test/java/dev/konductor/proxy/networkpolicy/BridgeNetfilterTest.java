package dev.konductor.proxy.networkpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.proxy.nftables.CommandRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the enforcer asks of the node's sysctls, against a fake node. */
class BridgeNetfilterTest {

    /** sysctl and modprobe over a map of settings; absent keys until the module is loaded. */
    private static final class FakeNode implements CommandRunner {
        final Map<String, String> settings = new HashMap<>();
        final List<String> commands = new ArrayList<>();
        boolean moduleLoadable = true;
        boolean readOnly;

        @Override
        public Result run(List<String> command, String stdin) {
            commands.add(String.join(" ", command));
            return switch (command.getFirst()) {
                case "modprobe" -> {
                    if (!moduleLoadable) {
                        yield new Result(1, "", "modprobe: FATAL: Module br_netfilter not found");
                    }
                    BridgeNetfilter.SETTINGS.forEach(key -> settings.putIfAbsent(key, "0"));
                    yield new Result(0, "", "");
                }
                case "sysctl" -> command.get(1).equals("-n") ? read(command.get(2)) : write(command.get(2));
                default -> new Result(127, "", "unknown command");
            };
        }

        private Result read(String key) {
            String value = settings.get(key);
            return value == null ? new Result(255, "", "sysctl: cannot stat /proc/sys/" + key.replace('.', '/'))
                    : new Result(0, value + "\n", "");
        }

        private Result write(String assignment) {
            if (readOnly) {
                return new Result(255, "", "sysctl: permission denied on key");
            }
            String[] kv = assignment.split("=");
            settings.put(kv[0], kv[1]);
            return new Result(0, "", "");
        }
    }

    @Test
    void settingsAlreadyOnAreLeftAlone() throws Exception {
        FakeNode node = new FakeNode();
        BridgeNetfilter.SETTINGS.forEach(key -> node.settings.put(key, "1"));

        assertThat(new BridgeNetfilter(node).ensure()).isEqualTo(BridgeNetfilter.State.ON);
        assertThat(node.commands).noneMatch(command -> command.contains("-w") || command.startsWith("modprobe"));
    }

    @Test
    void aMissingModuleIsLoadedAndItsSettingsTurnedOn() throws Exception {
        FakeNode node = new FakeNode();

        assertThat(new BridgeNetfilter(node).ensure()).isEqualTo(BridgeNetfilter.State.TURNED_ON);
        assertThat(node.commands).contains("modprobe br_netfilter", "sysctl -w net.bridge.bridge-nf-call-iptables=1",
                "sysctl -w net.bridge.bridge-nf-call-ip6tables=1");
        assertThat(node.settings).containsEntry("net.bridge.bridge-nf-call-iptables", "1");
    }

    @Test
    void aKernelWithoutBridgeNetfilterIsReportedNotFatal() throws Exception {
        FakeNode node = new FakeNode();
        node.moduleLoadable = false;

        assertThat(new BridgeNetfilter(node).ensure()).isEqualTo(BridgeNetfilter.State.UNAVAILABLE);
    }

    @Test
    void settingsThatCannotBeWrittenAreReported() throws Exception {
        FakeNode node = new FakeNode();
        BridgeNetfilter.SETTINGS.forEach(key -> node.settings.put(key, "0"));
        node.readOnly = true;

        assertThat(new BridgeNetfilter(node).ensure()).isEqualTo(BridgeNetfilter.State.UNAVAILABLE);
    }
}
