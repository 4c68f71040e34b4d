package dev.konductor.kubelet.streaming;

import dev.konductor.kubelet.cri.v1.AttachRequest;
import dev.konductor.kubelet.cri.v1.ExecRequest;
import dev.konductor.kubelet.cri.v1.PortForwardRequest;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.runtime.RuntimeStates;
import dev.konductor.kubelet.runtime.SandboxState;
import dev.konductor.kubelet.server.StreamingHandler;
import dev.konductor.streaming.HttpHead;
import dev.konductor.streaming.SocketDuplex;
import dev.konductor.streaming.UpgradeProxy;
import dev.konductor.streaming.remotecommand.StreamOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's {@code /exec}, {@code /attach} and {@code /portForward}: finds the pod's running
 * container (or its sandbox), has the runtime prepare the session (CRI Exec, Attach,
 * PortForward) and relays the API server's upgrade to the URL the runtime answers with, where
 * the client and the runtime negotiate the protocol between themselves. Refusals carry
 * upstream's words as plain text, as upstream's kubelet writes them.
 */
public final class ContainerStreams implements StreamingHandler {

    private static final Logger log = LoggerFactory.getLogger(ContainerStreams.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The pods bound to this node, by namespace and name (the kubelet's informer). */
    @FunctionalInterface
    public interface Pods {
        Optional<Pod> find(String namespace, String name);
    }

    private final ContainerRuntime runtime;
    private final Pods pods;

    public ContainerStreams(ContainerRuntime runtime, Pods pods) {
        this.runtime = runtime;
        this.pods = pods;
    }

    @Override
    public void serve(HttpHead request, UpgradeProxy.Downstream client) {
        String[] startLine = request.startLine().split(" ");
        QueryStringDecoder uri = new QueryStringDecoder(startLine[1]);
        URI session;
        try {
            session = URI.create(prepare(StreamRequest.parse(uri.path(), uri.parameters())));
        } catch (StreamRequest.BadRequest e) {
            client.refused(UpgradeProxy.Answer.text(400, e.getMessage()));
            return;
        } catch (Refused e) {
            client.refused(UpgradeProxy.Answer.text(e.status, e.getMessage()));
            return;
        }
        try {
            UpgradeProxy.forward(runtimeRequest(startLine[0], request, session), () -> dial(session), client);
        } catch (IOException e) {
            log.warn("runtime streaming server failed url={} error={}", session, e.toString());
            client.refused(UpgradeProxy.Answer.text(500, "error dialing the runtime's streaming server: "
                    + e.getMessage()));
        }
    }

    /** The runtime's URL for this session. */
    private String prepare(StreamRequest request) throws Refused {
        Pod pod = pods.find(request.namespace(), request.pod())
                .filter(p -> request.uid().isEmpty() || request.uid().get().equals(p.getMetadata().getUid()))
                .orElseThrow(() -> new Refused(404, "pod does not exist"));
        try {
            PodRuntimeState state = RuntimeStates.observe(runtime, pod.getMetadata().getUid());
            return switch (request) {
                case StreamRequest.Exec exec -> runtime.exec(ExecRequest.newBuilder()
                        .setContainerId(runningContainer(state, exec.container())).addAllCmd(exec.command())
                        .setStdin(exec.streams().stdin()).setStdout(exec.streams().stdout())
                        .setStderr(exec.streams().stderr()).setTty(exec.streams().tty()).build());
                case StreamRequest.Attach attach -> runtime.attach(attachRequest(
                        runningContainer(state, attach.container()), attach.streams()));
                case StreamRequest.PortForward forward -> runtime.portForward(PortForwardRequest.newBuilder()
                        .setPodSandboxId(readySandbox(state, request)).addAllPort(forward.ports()).build());
            };
        } catch (ContainerRuntime.RuntimeException e) {
            throw new Refused(500, e.getMessage());
        }
    }

    private static AttachRequest attachRequest(String containerId, StreamOptions streams) {
        return AttachRequest.newBuilder().setContainerId(containerId).setStdin(streams.stdin())
                .setStdout(streams.stdout()).setStderr(streams.stderr()).setTty(streams.tty()).build();
    }

    /** The current instance of the container if it runs; upstream's kubelet only looks among running ones. */
    private static String runningContainer(PodRuntimeState state, String name) throws Refused {
        return state.latest(name).filter(ContainerState::running).map(ContainerState::id)
                .orElseThrow(() -> new Refused(500, "container not found (\"" + name + "\")"));
    }

    private static String readySandbox(PodRuntimeState state, StreamRequest request) throws Refused {
        return state.latestSandbox().filter(SandboxState::ready).map(SandboxState::id)
                .orElseThrow(() -> new Refused(500, "pod not found (\"" + request.pod() + "_" + request.namespace()
                        + "\")"));
    }

    /** The request for the runtime's URL: the API server's method and upgrade headers, the runtime's path. */
    static HttpHead runtimeRequest(String method, HttpHead client, URI session) {
        List<HttpHead.Header> headers = new ArrayList<>();
        headers.add(new HttpHead.Header("Host", session.getRawAuthority()));
        headers.addAll(UpgradeProxy.relayedHeaders(client.headers()));
        String target = session.getRawPath() + (session.getRawQuery() == null ? "" : "?" + session.getRawQuery());
        return HttpHead.request(method, target, headers);
    }

    private static SocketDuplex dial(URI session) throws IOException {
        if (!"http".equals(session.getScheme())) {
            throw new IOException("unsupported streaming URL " + session + " (the runtime must serve plain HTTP on loopback)");
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(session.getHost(), session.getPort()),
                    Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
            socket.setTcpNoDelay(true);
            return new SocketDuplex(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A session the kubelet will not start, with the HTTP status and upstream's message. */
    private static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
