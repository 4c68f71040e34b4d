package dev.konductor.kubelet.images;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Just enough ELF to tell a statically linked executable (one that runs in an empty image). */
final class ElfFiles {

    private static final int PT_INTERP = 3;

    private ElfFiles() {
    }

    /** Whether {@code binary} is a 64-bit little-endian ELF with no program interpreter. */
    static boolean isStaticExecutable(byte[] binary) {
        if (binary.length < 64 || binary[0] != 0x7f || binary[1] != 'E' || binary[2] != 'L' || binary[3] != 'F'
                || binary[4] != 2 || binary[5] != 1) {
            return false;
        }
        ByteBuffer elf = ByteBuffer.wrap(binary).order(ByteOrder.LITTLE_ENDIAN);
        long programHeaders = elf.getLong(0x20);
        int entrySize = Short.toUnsignedInt(elf.getShort(0x36));
        int count = Short.toUnsignedInt(elf.getShort(0x38));
        for (int i = 0; i < count; i++) {
            long offset = programHeaders + (long) i * entrySize;
            if (offset + 4 > binary.length) {
                return false;
            }
            if (elf.getInt((int) offset) == PT_INTERP) {
                return false;
            }
        }
        return true;
    }
}
