package dev.konductor.kubelet.volumes;

import java.util.Arrays;

/** One file of a volume's payload: its bytes and permission bits (e.g. 0644). */
public record FileProjection(byte[] data, int mode) {

    public FileProjection {
        data = data.clone();
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("mode must be between 0 and 0777: " + Integer.toOctalString(mode));
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileProjection other && mode == other.mode && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + mode;
    }

    @Override
    public String toString() {
        return "FileProjection[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
}
