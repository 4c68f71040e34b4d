package dev.konductor.kubelet.images;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX ustar archive, deterministically: owner root, modification time zero, so the
 * same files always give the same bytes (and so the same layer digest). Enough for image layers:
 * directories, regular files and symbolic links.
 */
final class TarWriter implements AutoCloseable {

    private static final int BLOCK = 512;

    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String path, int mode) throws IOException {
        header(path.endsWith("/") ? path : path + "/", mode, 0, '5', "");
    }

    void file(String path, int mode, byte[] content) throws IOException {
        header(path, mode, content.length, '0', "");
        out.write(content);
        pad(content.length);
    }

    void symlink(String path, String target) throws IOException {
        header(path, 0777, 0, '2', target);
    }

    private void header(String path, int mode, long size, char type, String linkTarget) throws IOException {
        byte[] header = new byte[BLOCK];
        String name = path;
        String prefix = "";
        if (utf8(name).length > 100) {
            int slash = name.lastIndexOf('/', name.length() - 2);
            if (slash <= 0 || utf8(name.substring(0, slash)).length > 155 || utf8(name.substring(slash + 1)).length > 100) {
                throw new IllegalArgumentException("path too long for a ustar header: " + path);
            }
            prefix = name.substring(0, slash);
            name = name.substring(slash + 1);
        }
        if (utf8(linkTarget).length > 100) {
            throw new IllegalArgumentException("link target too long for a ustar header: " + linkTarget);
        }
        put(header, 0, 100, utf8(name));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, 0);
        header[156] = (byte) type;
        put(header, 157, 100, utf8(linkTarget));
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(header, 265, 32, utf8("root"));
        put(header, 297, 32, utf8("root"));
        put(header, 345, 155, utf8(prefix));
        // The checksum is computed with its own field read as eight spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, header, 148, 8);
        out.write(header);
    }

    private void pad(long length) throws IOException {
        int rest = (int) (length % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String text = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - text.length())) + text;
        put(header, offset, length, (padded + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        if (value.length > length) {
            throw new IllegalArgumentException("tar header field too long");
        }
        System.arraycopy(value, 0, header, offset, value.length);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the two zero blocks that end an archive; does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        out.write(new byte[BLOCK * 2]);
        out.flush();
    }
}
