package dev.konductor.proxy.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A {@link CommandRunner} that records commands and answers from a script instead of touching the host. */
final class RecordingRunner implements CommandRunner {

    record Call(List<String> command, String stdin) {
        String line() {
            return String.join(" ", command);
        }
    }

    final List<Call> calls = new ArrayList<>();
    private final Function<Call, Result> answer;

    RecordingRunner(Function<Call, Result> answer) {
        this.answer = answer;
    }

    RecordingRunner() {
        this(call -> new Result(0, "", ""));
    }

    @Override
    public synchronized Result run(List<String> command, String stdin) {
        Call call = new Call(List.copyOf(command), stdin);
        calls.add(call);
        return answer.apply(call);
    }

    List<String> lines() {
        return calls.stream().map(Call::line).toList();
    }
}
