package dev.konductor.proxy.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A stand-in for the host's recursive resolver, on loopback over UDP: knows
 * {@code example.com. A 192.0.2.7} (a documentation address, never contacted) and answers
 * NXDOMAIN for anything else. Records every question it was asked, so tests can tell what was
 * forwarded.
 */
final class FakeUpstream implements AutoCloseable {

    static final Name KNOWN = Name.fromConstantString("example.com.");
    static final String KNOWN_ADDRESS = "192.0.2.7";

    private final DatagramSocket socket;
    final List<String> asked = new CopyOnWriteArrayList<>();

    FakeUpstream() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().name("fake-upstream").start(this::serve);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                asked.add(query.getQuestion().getName() + " " + Type.string(query.getQuestion().getType()));
                Message reply = new Message(query.getHeader().getID());
                reply.getHeader().setFlag(Flags.QR);
                reply.getHeader().setFlag(Flags.RA);
                reply.addRecord(query.getQuestion(), Section.QUESTION);
                if (query.getQuestion().getName().equals(KNOWN) && query.getQuestion().getType() == Type.A) {
                    reply.addRecord(new ARecord(KNOWN, DClass.IN, 300, InetAddress.ofLiteral(KNOWN_ADDRESS)), Section.ANSWER);
                } else if (!query.getQuestion().getName().equals(KNOWN)) {
                    reply.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                byte[] wire = reply.toWire(512);
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                // closed, or a packet we cannot read: carry on until closed
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
