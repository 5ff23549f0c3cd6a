package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Primitive storage for the reverse sweep of generated gradients: a stack of {@code double} values that the
 * forward sweep overwrites and the reverse sweep needs back, a stack of {@code int} values for control flow
 * (branches taken, trip counts, indices) and a stack of array references.
 *
 * <p>Nothing is boxed. The {@code double} and {@code int} stacks are chunked: a full chunk is followed by a new one
 * (16 values, then twice as many each time, up to 65,536), so a stack grows without copying what it holds; a stack
 * of N values has at most 2N + 16 of storage, and at most N + 65,536 once N passes 131,056. A {@code Tape} belongs
 * to one result object, which a caller may reuse across calls: the stacks keep their chunks, so a warm call
 * allocates nothing. A {@code Tape} is not thread-safe; generated methods are, because each call uses the tape of
 * its own result object.
 */
public final class Tape {
    /** The length of each stack's first chunk; each next chunk is twice as long, up to {@link #LARGEST}. */
    private static final int FIRST = 16;
    /** The length of the chunks past the first few: 512 KiB of doubles, 256 KiB of ints. */
    private static final int LARGEST = 1 << 16;

    private double[][] doubleChunks = {new double[FIRST]};
    private int doubleChunk;
    private double[] doubles = doubleChunks[0];
    private int doubleTop;
    private int[][] intChunks = {new int[FIRST]};
    private int intChunk;
    private int[] ints = intChunks[0];
    private int intTop;
    private Object[] refs = new Object[4];
    private int refTop;

    /** Creates an empty tape. */
    public Tape() {}

    /**
     * Empties every stack, keeping their chunks (and dropping array references so they can be collected).
     *
     * @return this tape
     */
    public Tape reset() {
        doubleChunk = 0;
        doubles = doubleChunks[0];
        doubleTop = 0;
        intChunk = 0;
        ints = intChunks[0];
        intTop = 0;
        if (refTop > 0) {
            Arrays.fill(refs, 0, refTop, null);
            refTop = 0;
        }
        return this;
    }

    /**
     * Saves a double.
     *
     * @param value the value the reverse sweep will need back
     */
    public void pushDouble(double value) {
        if (doubleTop == doubles.length) {
            nextDoubleChunk();
        }
        doubles[doubleTop++] = value;
    }

    /**
     * Takes back the double saved last.
     *
     * @return the value
     */
    public double popDouble() {
        if (doubleTop == 0) {
            doubles = doubleChunks[--doubleChunk];
            doubleTop = doubles.length;
        }
        return doubles[--doubleTop];
    }

    /** Moves on to the next chunk of doubles, made the first time the stack reaches it: nothing is copied. */
    private void nextDoubleChunk() {
        if (++doubleChunk == doubleChunks.length) {
            doubleChunks = Arrays.copyOf(doubleChunks, doubleChunks.length * 2);
        }
        if (doubleChunks[doubleChunk] == null) {
            doubleChunks[doubleChunk] = new double[Math.min(doubles.length * 2, LARGEST)];
        }
        doubles = doubleChunks[doubleChunk];
        doubleTop = 0;
    }

    /**
     * Saves an int (a long is saved as two).
     *
     * @param value the value
     */
    public void pushInt(int value) {
        if (intTop == ints.length) {
            nextIntChunk();
        }
        ints[intTop++] = value;
    }

    /**
     * Takes back the int saved last.
     *
     * @return the value
     */
    public int popInt() {
        if (intTop == 0) {
            ints = intChunks[--intChunk];
            intTop = ints.length;
        }
        return ints[--intTop];
    }

    /** Moves on to the next chunk of ints, as {@link #nextDoubleChunk} does for doubles. */
    private void nextIntChunk() {
        if (++intChunk == intChunks.length) {
            intChunks = Arrays.copyOf(intChunks, intChunks.length * 2);
        }
        if (intChunks[intChunk] == null) {
            intChunks[intChunk] = new int[Math.min(ints.length * 2, LARGEST)];
        }
        ints = intChunks[intChunk];
        intTop = 0;
    }

    /**
     * Saves a long as two ints.
     *
     * @param value the value
     */
    public void pushLong(long value) {
        pushInt((int) value);
        pushInt((int) (value >>> 32));
    }

    /**
     * Takes back the long saved last.
     *
     * @return the value
     */
    public long popLong() {
        long high = popInt();
        long low = popInt() & 0xFFFF_FFFFL;
        return (high << 32) | low;
    }

    /**
     * Saves a boolean, such as the branch an {@code if} took.
     *
     * @param value the value
     */
    public void pushBoolean(boolean value) {
        pushInt(value ? 1 : 0);
    }

    /**
     * Takes back the boolean saved last.
     *
     * @return the value
     */
    public boolean popBoolean() {
        return popInt() != 0;
    }

    /**
     * Saves an array reference (an array variable that is reassigned, with its adjoint).
     *
     * @param array the array, may be null
     */
    public void pushRef(Object array) {
        if (refTop == refs.length) {
            refs = Arrays.copyOf(refs, refs.length * 2);
        }
        refs[refTop++] = array;
    }

    /**
     * Takes back the reference saved last.
     *
     * @return the reference
     */
    public Object popRef() {
        Object r = refs[--refTop];
        refs[refTop] = null;
        return r;
    }
}
