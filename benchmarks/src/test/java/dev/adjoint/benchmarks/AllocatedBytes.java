package dev.adjoint.benchmarks;

import java.lang.management.ManagementFactory;

/** The bytes the current thread allocates while it runs some code, as HotSpot counts them. */
public final class AllocatedBytes {
    private AllocatedBytes() {}

    /**
     * Runs {@code code} {@code times} times after as many warm-up runs, and returns the bytes this thread
     * allocated during the measured runs.
     *
     * @param times how many runs to measure
     * @param code the code
     * @return the bytes allocated by the measured runs
     * @throws IllegalStateException if this JVM does not count allocated bytes per thread
     */
    public static long of(int times, Runnable code) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM does not count the bytes a thread allocates");
        }
        for (int i = 0; i < times; i++) {
            code.run();
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < times; i++) {
            code.run();
        }
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
