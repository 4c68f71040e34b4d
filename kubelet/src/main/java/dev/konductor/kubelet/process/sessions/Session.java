package dev.konductor.kubelet.process.sessions;

import dev.konductor.streaming.remotecommand.StreamOptions;
import java.io.IOException;
import java.net.Socket;
import java.util.List;

/** A streaming session the runtime has prepared, waiting for its client at a one-time URL. */
public sealed interface Session {

    /** {@code exec} or {@code attach}: remotecommand streams for {@code options}. */
    record RemoteCommand(String kind, List<String> command, StreamOptions options, CommandTarget target) implements Session {
        public RemoteCommand {
            command = List.copyOf(command);
        }
    }

    /** {@code portforward}: connections to the pod's ports. */
    record PortForward(Dialer dialer) implements Session {
    }

    /** Opens a connection to one of the pod's ports. */
    @FunctionalInterface
    interface Dialer {
        Socket dial(int port) throws IOException;
    }
}
