package dev.konductor.kubelet.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * kill(2) and sysconf(3) through the JDK's foreign function interface: the JDK signals only
 * single processes it started, and only with SIGTERM or SIGKILL, while a container's stop must
 * reach its whole process group (and the kubelet may have to stop one it did not start, left over
 * from a crash). Always by process or group id.
 */
final class Signals {

    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    private static final int ESRCH = 3;
    private static final int SC_CLK_TCK = 2;
    private static final int SC_PAGESIZE = 30;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle KILL = LINKER.downcallHandle(LINKER.defaultLookup().find("kill").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle SYSCONF = LINKER.downcallHandle(LINKER.defaultLookup().find("sysconf").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    private Signals() {
    }

    /** Sends {@code signal} to every process of group {@code pgid}; false when the group has none left. */
    static boolean toGroup(long pgid, int signal) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("not a process group of a container: " + pgid);
        }
        return kill(-Math.toIntExact(pgid), signal);
    }

    /** Sends {@code signal} to one process; false when it no longer exists. */
    static boolean toProcess(long pid, int signal) {
        if (pid <= 1) {
            throw new IllegalArgumentException("not a process of a container: " + pid);
        }
        return kill(Math.toIntExact(pid), signal);
    }

    /** Clock ticks per second, the unit of /proc's CPU times (USER_HZ). */
    static long clockTicksPerSecond() {
        return sysconf(SC_CLK_TCK, 100);
    }

    /** Bytes per page, the unit of /proc's resident set sizes. */
    static long pageSize() {
        return sysconf(SC_PAGESIZE, 4096);
    }

    private static boolean kill(int target, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) KILL.invokeExact(state, target, signal);
            if (rc == 0) {
                return true;
            }
            int errno = (int) ERRNO.get(state, 0L);
            if (errno == ESRCH) {
                return false;
            }
            // EPERM: not ours (a pid reused by another user's process); nothing we may do to it
            return false;
        } catch (Throwable e) {
            throw new IllegalStateException("kill(" + target + ", " + signal + ") failed", e);
        }
    }

    private static long sysconf(int name, long fallback) {
        try {
            long value = (long) SYSCONF.invokeExact(name);
            return value > 0 ? value : fallback;
        } catch (Throwable e) {
            return fallback;
        }
    }
}
