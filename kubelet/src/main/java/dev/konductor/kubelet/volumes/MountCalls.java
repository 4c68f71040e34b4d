package dev.konductor.kubelet.volumes;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library's {@code mount(2)} and {@code umount2(2)}, called in process instead of through
 * the {@code mount} and {@code umount} commands: a pod's start mounts a tmpfs for each
 * memory-backed volume (its service account token among them), and a command cost a fork of the
 * node agent's JVM, two programs started and util-linux's libraries loaded for one system call.
 */
final class MountCalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MOUNT = downcall("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = downcall("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private MountCalls() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /** {@code mount(source, target, fstype, 0, options)}; {@code options} may be null. */
    static void mount(String source, String target, String fstype, String options) throws IOException {
        call((arena, state) -> {
            MemorySegment data = options == null ? MemorySegment.NULL : arena.allocateFrom(options);
            return (int) MOUNT.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(fstype), 0L, data);
        });
    }

    /** {@code umount2(target, 0)}. */
    static void unmount(String target) throws IOException {
        call((arena, state) -> (int) UMOUNT2.invokeExact(state, arena.allocateFrom(target), 0));
    }

    /** One downcall that returns 0 or -1 with errno set. */
    @FunctionalInterface
    private interface Call {
        int invoke(Arena arena, MemorySegment callState) throws Throwable;
    }

    private static void call(Call call) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            if (call.invoke(arena, state) != 0) {
                throw new IOException(strerror((int) ERRNO.get(state, 0L)));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The C library's text for {@code errno}, as the commands print it ("Operation not permitted"). */
    private static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
