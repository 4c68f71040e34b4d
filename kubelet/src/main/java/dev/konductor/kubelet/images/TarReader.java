package dev.konductor.kubelet.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Extracts the regular files of a tar archive (ustar, with GNU long names and pax paths, as
 * {@code docker save}, {@code podman save} and {@code ctr export} write them) into a directory.
 * Links and devices are skipped; paths that would leave the directory are refused.
 */
final class TarReader {

    private static final int BLOCK = 512;

    private TarReader() {
    }

    static void extract(InputStream in, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        byte[] header = new byte[BLOCK];
        String longName = null;
        String paxPath = null;
        while (true) {
            if (!readFully(in, header)) {
                return;
            }
            if (isZero(header)) {
                return;
            }
            String name = cString(header, 0, 100);
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty() && header[257] == 'u') {
                name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            if (type == 'L') {
                longName = cString(readBody(in, size), 0, (int) size);
                continue;
            }
            if (type == 'x') {
                paxPath = paxPath(new String(readBody(in, size), StandardCharsets.UTF_8));
                continue;
            }
            if (type == 'g') {
                readBody(in, size);
                continue;
            }
            String path = paxPath != null ? paxPath : longName != null ? longName : name;
            longName = null;
            paxPath = null;
            if (type == '0' || type == '\0' || type == '7') {
                Path file = root.resolve(path).normalize();
                if (!file.startsWith(root) || file.equals(root)) {
                    throw new IOException("archive entry outside the archive: " + path);
                }
                Files.createDirectories(file.getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    copy(in, out, size);
                }
                skip(in, padding(size));
            } else {
                skip(in, size + padding(size));
            }
        }
    }

    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static byte[] readBody(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar header record too large: " + size);
        }
        byte[] body = in.readNBytes((int) size);
        skip(in, padding(size));
        return body;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("truncated tar archive");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("truncated tar archive");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n == 0) {
            return false;
        }
        if (n < buffer.length) {
            throw new IOException("truncated tar archive");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        if ((header[offset] & 0x80) != 0) { // GNU base-256 for large sizes
            long value = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        String text = cString(header, offset, length).trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad tar header number: " + text);
        }
    }
}
