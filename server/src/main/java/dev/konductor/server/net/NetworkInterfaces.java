package dev.konductor.server.net;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;

/**
 * This machine's network interfaces, listed while others add and remove theirs (a pod's veth,
 * another cluster's bridge): the JDK fails a listing when an interface vanishes halfway through
 * it, so a failed listing is made again.
 */
public final class NetworkInterfaces {

    private static final int ATTEMPTS = 3;

    private NetworkInterfaces() {
    }

    /** @throws SocketException if the last of a few listings failed too */
    public static List<NetworkInterface> list() throws SocketException {
        SocketException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return NetworkInterface.networkInterfaces().toList();
            } catch (SocketException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Whether {@code nic} is up; false when it has vanished since it was listed. */
    public static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp();
        } catch (SocketException gone) {
            return false;
        }
    }
}
